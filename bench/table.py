#!/usr/bin/python3
"""Turns the JSON lines of bench/run.sh into the markdown table of bench/README.md
(best of the rounds for every measurement)."""
import json, sys

best = {}
for line in open(sys.argv[1]):
    if not line.strip():
        continue
    r = json.loads(line)
    key = (r["peer"], r["arch"], r["size"], r["mode"], r.get("variant", "eager"))
    if key not in best or r["images_per_s"] > best[key]["images_per_s"]:
        best[key] = r
rows = list(best.values())
py = {(r["arch"], r["mode"]): r["images_per_s"] for r in rows if r["peer"] != "alloyml"}
print("| model | input | batch | mode | alloyml variant | alloyml img/s | python eager img/s | ratio |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    if r["peer"] != "alloyml" or r["mode"] == "loader":
        continue
    ref = py.get((r["arch"], r["mode"]))
    ratio = f"{r['images_per_s'] / ref:.2f}x" if ref else "-"
    print(f"| {r['arch']} | {r['size']} px | {r['batch']} | {r['mode']} | {r['variant']} | "
          f"{r['images_per_s']:.1f} | {ref:.1f} | {ratio} |")
print()
print("| loader (decode + augment, no cache) | input | batch | img/s | threads |")
print("|---|---|---|---|---|")
for r in rows:
    if r["mode"] == "loader":
        print(f"| {r['arch']} | {r['size']} px | {r['batch']} | {r['images_per_s']:.0f} | {r['threads']} |")
