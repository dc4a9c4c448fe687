#!/usr/bin/env bash
# Hostile and unlucky input as a user meets it (issue 35): two trainings on one run directory,
# a --resume that would change the model, damaged checkpoints. Each is refused with exit 2 and
# a message naming the file or key, and leaves the run as it was.
set -euo pipefail
bin=$1; src=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }
"$bin/alloyml-augment" synth -o data -n 10 --size 32 --quiet > /dev/null
tiny=(-c "$src/configs/smoke/tiny.json" --set data.root=data --set input.size=32 --set model.width=8 --threads 1 --quiet)

# Two trainings on one --out: the second is refused at once, naming the first one's PID.
"$bin/alloyml-train" "${tiny[@]}" --set train.epochs=100000 --out busy > /dev/null 2>&1 &
first=$!
for _ in $(seq 1 1000); do [ -s busy/metrics.jsonl ] && break; sleep 0.02; done
rc=0; "$bin/alloyml-train" "${tiny[@]}" --set train.epochs=1 --out busy > second.out 2>&1 || rc=$?
grep -q "busy is in use by another process (PID $first)" second.out && [ "$rc" -eq 2 ] ||
  { kill "$first" 2>/dev/null; cat second.out; fail "a second training on a busy run directory gave $rc"; }
rc=0; "$bin/alloyml-train" --resume --out busy --quiet > third.out 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "in use by another process (PID $first)" third.out || { kill "$first"; fail "--resume on a busy run"; }
kill -9 "$first"; wait "$first" 2>/dev/null || true
# The kernel dropped the lock with the killed process: the run resumes at once.
[ -f busy/checkpoints/last.pt ] || fail "no checkpoint in the killed run"
epochs=$(( $(wc -l < busy/metrics.jsonl) + 1 ))
"$bin/alloyml-train" --resume --out busy --set train.epochs=$epochs --threads 1 --quiet > /dev/null
[ "$(wc -l < busy/metrics.jsonl)" -eq "$epochs" ] || fail "the killed run did not resume to epoch $epochs"
echo "ok: a busy run directory is refused naming the PID; a killed run's lock is gone"

# --resume with another model.width: refused before anything is written; the run resumes after.
"$bin/alloyml-train" "${tiny[@]}" --set train.epochs=2 --out run > /dev/null
cp run/config.json config.before; cp run/model.json model.before
rc=0; "$bin/alloyml-train" --resume --out run --set model.width=16 > resume.out 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "\-\-resume: 'model.width' is 16 here but 8 in run/config.json" resume.out ||
  { cat resume.out; fail "an incompatible --resume gave $rc"; }
cmp -s config.before run/config.json && cmp -s model.before run/model.json || fail "a refused --resume rewrote the run"
"$bin/alloyml-train" --resume --out run --set train.epochs=3 --threads 1 --quiet > /dev/null
[ "$(wc -l < run/metrics.jsonl)" -eq 3 ] || fail "the run did not resume after a refused --resume"
echo "ok: an incompatible --resume is refused and leaves the run resumable"

# Checkpoints whose weight storage is shorter than their tensors: refused, naming the file.
cp -r run damaged
for f in damaged/checkpoints/*.pt; do /usr/bin/python3 "$src/tests/weights/make_reference.py" . shorten "$f"; done
for cmd in "alloyml-eval --run damaged" "alloyml-predict --run damaged --input data" "alloyml-train --resume --out damaged"; do
  rc=0; "$bin"/$cmd --quiet > damaged.out 2>&1 || rc=$?
  [ "$rc" -eq 2 ] && grep -Eq "damaged/checkpoints/(best|last).pt: cannot read data.pkl at byte [0-9]+: storage [0-9]+ holds [0-9]+ bytes, too few" damaged.out ||
    { cat damaged.out; fail "$cmd on a damaged checkpoint gave $rc"; }
done
echo "ok: damaged checkpoints are refused by eval, predict and --resume, naming the file"

# A model.json whose model options are damaged (a width that is text, no model at all).
for edit in "m['model']['width'] = 'abc'" "del m['model']"; do
  rm -rf bad_model && cp -r run bad_model
  /usr/bin/python3 -c "import json, sys; p = sys.argv[1]; m = json.load(open(p)); $edit; json.dump(m, open(p, 'w'))" bad_model/model.json
  rc=0; "$bin/alloyml-predict" --run bad_model --input data --quiet > bad_model.out 2>&1 || rc=$?
  [ "$rc" -eq 2 ] && grep -Eq "bad_model/model.json: (key 'model.width' is \"abc\", not what it should be|no model name under 'model')" \
    bad_model.out || { cat bad_model.out; fail "predict with a damaged model.json ($edit) gave $rc"; }
done
echo "ok: a damaged model.json is refused naming the file and the key"

# Ctrl-C in a batch predict keeps every row computed (written a chunk at a time), exits 130; the
# same command with --resume predicts only the rest.
"$bin/alloyml-augment" synth -o many -n 1000 --size 32 --quiet > /dev/null
"$bin/alloyml-predict" --run run --input many --output many.csv --threads 1 --quiet 2> predict.err &
pid=$!
for _ in $(seq 1 2000); do [ -f many.csv ] && [ "$(wc -l < many.csv)" -gt 256 ] && break; sleep 0.01; done
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
kept=$(( $(wc -l < many.csv) - 1 ))
[ "$rc" -eq 130 ] && [ "$kept" -ge 256 ] && [ "$kept" -lt 6000 ] && [ $(( kept % 256 )) -eq 0 ] ||
  { cat predict.err; fail "Ctrl-C in predict gave $rc with $kept rows kept"; }
grep -q "stopped: $kept of 6000 predictions written to many.csv; continue with the same command and --resume" predict.err ||
  { cat predict.err; fail "no stop message"; }
"$bin/alloyml-predict" --run run --input many --output many.csv --resume --threads 2 > resume.out 2>&1
grep -q "many.csv holds $kept of the 6000 images already; predicting the other $(( 6000 - kept ))" resume.out ||
  { cat resume.out; fail "--resume did not skip the rows kept"; }
[ "$(wc -l < many.csv)" -eq 6001 ] && [ "$(cut -d, -f1 many.csv | sort -u | wc -l)" -eq 6001 ] ||
  fail "after --resume the output does not hold each image once"
# A row cut short by a kill is dropped and predicted again.
head -c -20 many.csv > cut.csv
"$bin/alloyml-predict" --run run --input many --output cut.csv --resume --quiet 2> cut.err
grep -q "cut.csv: dropped a last row that was cut short" cut.err && [ "$(wc -l < cut.csv)" -eq 6001 ] ||
  { cat cut.err; fail "a cut row was not predicted again"; }
rc=0; "$bin/alloyml-predict" --run run --input many --resume > noout.out 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--resume continues an --output file" noout.out || fail "--resume without --output gave $rc"
echo "ok: Ctrl-C in predict keeps the rows computed and exits 130; --resume predicts the rest"

# File names that are not UTF-8 (Linux allows any bytes): escaped as \xHH in JSON, read back.
mkdir -p latin1
cp data/crazing_* data/scratches_* latin1/
cp data/crazing_1.png "latin1/crazing_$(printf '\xe9t\xe9').png"
printf 'cut' > "latin1/scratches_$(printf '\xff').png"
"$bin/alloyml-train" "${tiny[@]}" --set data.root=latin1 --set train.epochs=1 --out latin1_run > latin1.out 2>&1 ||
  { cat latin1.out; fail "training with a file name that is not UTF-8"; }
grep -q 'scratches_\\\\xFF.png' latin1_run/summary.json || { grep skipped latin1_run/summary.json; fail "the skipped name is not escaped"; }
"$bin/alloyml-predict" --run latin1_run --input latin1 --output latin1.jsonl --quiet
grep -q '"path":"latin1/crazing_\\\\xE9t\\\\xE9.png"' latin1.jsonl || { cat latin1.jsonl; fail "the JSONL row's name is not escaped"; }
"$bin/alloyml-predict" --run latin1_run --input latin1 --output latin1.jsonl --resume > latin1_resume.out 2>&1
grep -q "latin1.jsonl holds 22 of the 22 images already; predicting the other 0" latin1_resume.out ||
  { cat latin1_resume.out; fail "escaped names were not read back"; }
echo "ok: file names that are not UTF-8 are escaped in JSON and read back"

# Symbolic link loops in a data folder: skipped with a warning, the rest trained on and predicted.
mkdir -p loops/crazing loops/scratches
cp data/crazing_* loops/crazing/; cp data/scratches_* loops/scratches/
ln -s .. loops/crazing/up                           # a cycle through folders
ln -s self loops/scratches/self                     # a link to itself (ELOOP)
"$bin/alloyml-train" "${tiny[@]}" --set data.root=loops --set train.epochs=1 --out loops_run > loops.out 2>&1 ||
  { cat loops.out; fail "training on a folder with link loops"; }
grep -q "skipping loops/crazing/up: a folder already read, or one enclosing loops/crazing (a symbolic link loop?)" loops.out ||
  { cat loops.out; fail "no warning for the link loop"; }
[ "$("$bin/alloyml-predict" --run loops_run --input loops --quiet 2>/dev/null | wc -l)" -eq 21 ] || fail "predict over link loops"
# A manifest whose path is 10 MB long: that row's error, exit 2.
{ echo "path,label"; python3 -c "print('x' * 10_000_000 + ',crazing')"; echo "data/crazing_1.png,crazing"; } > long.csv
rc=0; "$bin/alloyml-train" "${tiny[@]}" --set data.root=long.csv --out long_run > long.out 2>&1 || rc=$?
[ "$rc" -eq 2 ] && grep -q "long.csv:2: image 'xxxx.*\.\.\.' cannot be read (File name too long)" long.out ||
  { head -c 600 long.out; fail "a 10 MB manifest path gave $rc"; }
[ "$(wc -c < long.out)" -lt 2000 ] || fail "the message quotes the whole 10 MB path"
echo "ok: link loops skipped with a warning; a 10 MB path is its row's error"

# A full disk (a 4 MB tmpfs; needs root, as CI has): exit 1 naming the file and its file system,
# no temporary or empty file left, the previous checkpoint intact and usable.
full=$work/full
mkdir -p "$full"
if mount -t tmpfs -o size=4M tmpfs "$full" 2>/dev/null; then
  trap 'umount "$full" 2>/dev/null; rm -rf "$work"' EXIT
  rc=0; "$bin/alloyml-augment" synth -o "$full/synth" -n 2000 --size 64 > synth.out 2>&1 || rc=$?
  [ "$rc" -eq 1 ] && grep -q "no space left on $full (tmpfs) writing $full/synth/.*\.png$" synth.out ||
    { cat synth.out; fail "synth on a full disk gave $rc"; }
  [ -z "$(find "$full/synth" -size 0 -o -name '*.tmp.*')" ] || fail "synth left empty or temporary files"
  rm -rf "$full/synth"
  "$bin/alloyml-train" "${tiny[@]}" --set train.epochs=1 --out "$full/run" > /dev/null
  cp "$full/run/checkpoints/last.pt" last.before
  head -c $(( $(df --output=avail -B1 "$full" | tail -1) - 65536 )) /dev/zero > "$full/filler" 2>/dev/null || true
  rc=0; "$bin/alloyml-train" --resume --out "$full/run" --set train.epochs=3 --threads 1 --quiet > full.out 2>&1 || rc=$?
  [ "$rc" -eq 1 ] && grep -q "no space left on $full (tmpfs) writing $full/run/" full.out && ! grep -q "terminate called" full.out ||
    { cat full.out; fail "training on a full disk gave $rc"; }
  [ -z "$(find "$full/run" -name '*.tmp.*')" ] || fail "training on a full disk left temporary files"
  cmp -s last.before "$full/run/checkpoints/last.pt" || fail "the previous checkpoint changed"
  "$bin/alloyml-eval" --run "$full/run" --quiet > /dev/null
  echo "ok: a full disk stops synth and training with exit 1 naming the file; the last checkpoint is intact"
else
  echo "SKIP: full disk: cannot mount a small tmpfs here (needs root)"
fi
echo "ok: hostile input"
