#!/usr/bin/python3
"""Turns the JSON lines of bench/run.sh into the markdown tables of bench/README.md: the median
of each peer over the rounds, and the median of the per-round ratios (alloyml / python)."""
import collections, json, statistics, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
by_round = collections.defaultdict(dict)
runs = collections.defaultdict(list)
for r in rows:
    variant = r.get("variant", "eager")
    runs[(r["peer"], r["arch"], r["size"], r["batch"], r["mode"], variant)].append(r["images_per_s"])
    if "round" in r:
        by_round[(r["arch"], r["mode"], r["round"])][(r["peer"], variant)] = r["images_per_s"]

print("| model | input | batch | mode | variant | img/s | python fp32 eager img/s | ratio to python fp32 eager (median of rounds) | rounds |")
print("|---|---|---|---|---|---|---|---|---|")
for (peer, arch, size, batch, mode, variant), values in runs.items():
    if mode == "loader" or (peer != "alloyml" and variant == "eager"):
        continue
    ref = runs.get(("python-torch-eager", arch, size, batch, mode, "eager"), [])
    ratios = [v[(peer, variant)] / v[("python-torch-eager", "eager")]
              for (a, m, _), v in by_round.items()
              if a == arch and m == mode and (peer, variant) in v and ("python-torch-eager", "eager") in v]
    if peer != "alloyml":
        variant = "python " + variant
    ratio = f"{statistics.median(ratios):.2f}x ({min(ratios):.2f}-{max(ratios):.2f})" if ratios else "-"
    ref_text = f"{statistics.median(ref):.1f}" if ref else "-"
    print(f"| {arch} | {size} px | {batch} | {mode} | {variant} | {statistics.median(values):.1f} | {ref_text} | {ratio} | {len(values)} |")
print()
print("| loader (decode + augment, no cache) | input | batch | img/s | threads |")
print("|---|---|---|---|---|")
for r in rows:
    if r["mode"] == "loader":
        print(f"| {r['arch']} | {r['size']} px | {r['batch']} | {r['images_per_s']:.0f} | {r['threads']} |")
