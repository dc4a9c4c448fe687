#!/usr/bin/python3
"""Offers images to alloyml-predict --watch at a fixed rate and measures, from outside, the time
from each image's arrival (its atomic rename into the folder) to its row in the output.
  watch_load.py PREDICT RUN IMAGE_DIR WORK RATE COUNT PRECISION THREADS  -> one JSON line
Images are renamed in (written as NAME.part first), as a camera's writer should; the output is
read every millisecond."""
import json, os, shutil, signal, statistics, subprocess, sys, threading, time

predict, run, image_dir, work, rate, count, precision, threads = sys.argv[1:9]
rate, count = float(rate), int(count)
sources = sorted(os.path.join(image_dir, f) for f in os.listdir(image_dir) if f.lower().endswith((".jpg", ".png", ".bmp")))
if not sources:
    sys.exit(f"{image_dir}: no images")
inbox, out = os.path.join(work, "in"), os.path.join(work, "rows.csv")
shutil.rmtree(work, ignore_errors=True)
os.makedirs(inbox)
watcher = subprocess.Popen([predict, "--run", run, "--watch", inbox, "--output", out, "--precision", precision,
                            "--threads", threads, "--quiet"], stderr=subprocess.PIPE)
deadline = time.monotonic() + 120
while not (os.path.exists(out) and os.path.getsize(out) > 0):  # the header: the model is loaded
    if watcher.poll() is not None or time.monotonic() > deadline:
        sys.exit("the watcher did not start: " + watcher.stderr.read().decode())
    time.sleep(0.01)
time.sleep(0.5)

arrived, seen, reported = {}, {}, {}
done = threading.Event()


def tail():
    with open(out) as fh:
        fh.readline()
        header = None
        buf = ""
        while not done.is_set() or buf:
            chunk = fh.read()
            now = time.monotonic()
            if not chunk:
                if done.is_set():
                    break
                time.sleep(0.001)
                continue
            buf += chunk
            *lines, buf = buf.split("\n")
            for line in lines:
                path = line.split(",", 1)[0]
                seen[os.path.basename(path)] = now
                cols = line.split(",")
                reported[os.path.basename(path)] = cols


reader = threading.Thread(target=tail)
reader.start()
start = time.monotonic()
for i in range(count):
    due = start + i / rate
    while (now := time.monotonic()) < due:
        time.sleep(min(0.0005, due - now))
    src = sources[i % len(sources)]
    name = f"{i:06d}_{os.path.basename(src)}"
    tmp = os.path.join(inbox, name + ".part")
    shutil.copyfile(src, tmp)
    os.rename(tmp, os.path.join(inbox, name))
    arrived[name] = time.monotonic()
offered_s = time.monotonic() - start
wait_until = time.monotonic() + 120
while len(seen) < count and time.monotonic() < wait_until:
    time.sleep(0.01)
done.set()
reader.join()
watcher.send_signal(signal.SIGINT)
watcher.wait(timeout=60)

lat = sorted(1000 * (seen[n] - arrived[n]) for n in arrived if n in seen)
ordered = [1000 * (seen[n] - arrived[n]) for n in sorted(arrived, key=arrived.get) if n in seen]
q = max(1, len(ordered) // 4)
first, last = statistics.median(ordered[:q]), statistics.median(ordered[-q:])
pct = lambda p: lat[min(len(lat) - 1, int(round(p / 100 * (len(lat) - 1))))]
rows_s = len(seen) / (max(seen.values()) - start) if seen else 0.0
print(json.dumps({"rate": rate, "count": count, "rows": len(seen), "precision": precision,
                  "p50_ms": pct(50), "p99_ms": pct(99), "max_ms": lat[-1], "offered_per_s": count / offered_s,
                  "rows_per_s": rows_s,
                  # keeping up: every row came, and the latency of the last quarter has not grown
                  # (a backlog would make it climb) beyond twice the first quarter's plus 10 ms
                  "kept_up": len(seen) == count and last <= 2 * first + 10}))
