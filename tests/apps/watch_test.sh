#!/usr/bin/env bash
# alloyml-predict --watch as a line runs it (issue 24; Huang et al. 2023, Fig. 1a): images copied
# or moved into a folder get one row each, a damaged one an error row; SIGINT stops the watcher
# cleanly (exit 0, every row flushed); a restarted watcher classifies only what is new; the
# polling fallback waits until a slowly written file is complete; a file that changes after it
# was read is read again; --cam adds heat maps; bad
# options exit 2.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT
"$bin/alloyml-augment" synth -o "$work/src" -n 2 --size 64 --quiet > /dev/null
"$bin/alloyml-train" -c "$src/configs/smoke/tiny.json" --set "data.root=$work/src" --set train.epochs=1 --out "$work/run" --quiet > /dev/null
mkdir -p "$work/in"
rows() { if [ -f "$1" ]; then grep -c . "$1" || true; else echo 0; fi; }
wait_rows() {  # FILE N: until FILE has N lines (at most 60 s)
  for _ in $(seq 1 600); do [ "$(rows "$1")" -ge "$2" ] && return 0; sleep 0.1; done
  echo "FAIL: $1 has $(rows "$1") lines, expected $2"; cat "$1" 2>/dev/null; cat "$work/log" 2>/dev/null; exit 1
}
stop() {  # SIGINT, then the exit code must be 0
  kill -INT "$pid"; local rc=0; wait "$pid" || rc=$?; pid=""
  [ "$rc" -eq 0 ] || { echo "FAIL: the watcher exited $rc after SIGINT"; cat "$work/log"; exit 1; }
}

cp "$work/src/crazing_1.png" "$work/in/"  # there before the start
"$bin/alloyml-predict" --run "$work/run" --watch "$work/in" --output "$work/out.csv" > "$work/log" 2>&1 &
pid=$!
wait_rows "$work/out.csv" 2
cp "$work/src/patches_1.png" "$work/in/"
cp "$work/src/scratches_2.png" "$work/in/.part" && mv "$work/in/.part" "$work/in/scratches_2.png"
printf 'not an image' > "$work/in/damaged.png"
wait_rows "$work/out.csv" 5
stop
/usr/bin/python3 - "$work/out.csv" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1])))
names = [os.path.basename(r["path"]) for r in rows]
assert sorted(names) == ["crazing_1.png", "damaged.png", "patches_1.png", "scratches_2.png"], names
for r in rows:
    bad = os.path.basename(r["path"]) == "damaged.png"
    assert bool(r["error"]) == bad and bool(r["label"]) != bad, r
    assert float(r["latency_ms"]) >= 0, r
print("ok: one row per arriving image, an error row for the damaged one")
PY

# A restart classifies only what the output does not hold yet.
"$bin/alloyml-predict" --run "$work/run" --watch "$work/in" --output "$work/out.csv" --batch-timeout 200 > "$work/log" 2>&1 &
pid=$!
sleep 1
cp "$work/src/inclusion_2.png" "$work/src/rolled-in_scale_1.png" "$work/in/"
wait_rows "$work/out.csv" 7
sleep 0.5
stop
[ "$(rows "$work/out.csv")" -eq 7 ] || { echo "FAIL: the restarted watcher classified an image twice"; cat "$work/out.csv"; exit 1; }
[ "$(cut -d, -f1 "$work/out.csv" | sort | uniq -d | wc -l)" -eq 0 ] || { echo "FAIL: duplicate rows"; exit 1; }
echo "ok: a restarted watcher classifies only the new images"

# Polling: a file written in two parts 0.6 s apart is classified once, complete.
mkdir -p "$work/slow"
"$bin/alloyml-predict" --run "$work/run" --watch "$work/slow" --output "$work/slow.jsonl" --poll > "$work/log" 2>&1 &
pid=$!
sleep 1
f="$work/src/pitted_surface_1.png"
{ head -c 200 "$f"; sleep 0.6; tail -c +201 "$f"; } > "$work/slow/pitted.png"
wait_rows "$work/slow.jsonl" 1
sleep 0.5
stop
[ "$(rows "$work/slow.jsonl")" -eq 1 ] && ! grep -q '"error"' "$work/slow.jsonl" || { echo "FAIL: polling read a partial file"; cat "$work/slow.jsonl"; exit 1; }
grep -q '"latency_ms"' "$work/slow.jsonl" || { echo "FAIL: no latency in JSONL"; exit 1; }
echo "ok: polling waits for a complete file"

# inotify: a file written in several open/close rounds is read at its first close (an error row,
# it is cut short), and again when it changes: its later row is complete (issue 35).
mkdir -p "$work/rounds"
"$bin/alloyml-predict" --run "$work/run" --watch "$work/rounds" --output "$work/rounds.csv" > "$work/log" 2>&1 &
pid=$!
sleep 1
f="$work/src/patches_2.png"
head -c 200 "$f" > "$work/rounds/patches.png"
wait_rows "$work/rounds.csv" 2
tail -c +201 "$f" >> "$work/rounds/patches.png"
wait_rows "$work/rounds.csv" 3
sleep 0.5
stop
/usr/bin/python3 - "$work/rounds.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2 and rows[0]["error"] and not rows[1]["error"] and rows[1]["label"], rows
PY
grep -q "changed after it was classified: classifying it again" "$work/log" || { echo "FAIL: no re-read message"; cat "$work/log"; exit 1; }
echo "ok: a file that changes after it was read is classified again"

# --cam: each row names its Grad-CAM overlay, which exists when the row is written.
mkdir -p "$work/camin"
"$bin/alloyml-predict" --run "$work/run" --watch "$work/camin" --output "$work/cam.csv" --cam "$work/maps" > "$work/log" 2>&1 &
pid=$!
sleep 1
cp "$work/src/crazing_2.png" "$work/src/patches_2.png" "$work/camin/"
wait_rows "$work/cam.csv" 3
stop
/usr/bin/python3 - "$work/cam.csv" "$work/maps" <<'PY'
import csv, os, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2, rows
for r in rows:
    stem = os.path.splitext(os.path.basename(r["path"]))[0]
    assert r["cam"] == os.path.join(sys.argv[2], stem + "_cam.png"), r
    assert os.path.getsize(r["cam"]) > 0, r
print("ok: watched images get their heat maps")
PY

rc=0; out=$("$bin/alloyml-predict" --run "$work/run" --watch "$work/nowhere" --output "$work/x.csv" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "nowhere: --watch needs an existing folder" <<<"$out" || { echo "FAIL: $rc $out"; exit 1; }
rc=0; out=$("$bin/alloyml-predict" --run "$work/run" --watch "$work/in" 2>&1) || rc=$?
[ "$rc" -eq 2 ] && grep -q "needs --output" <<<"$out" || { echo "FAIL: $rc $out"; exit 1; }
echo "ok: bad --watch options exit 2"
