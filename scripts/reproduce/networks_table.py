#!/usr/bin/env python3
"""The table of a many-network comparison (scripts/reproduce/networks.sh): per network its test
accuracy, parameters and ms per image (batch 1, fp32 and bf16, when OUT/latency.jsonl exists)
beside the paper's accuracy; networks trained from scratch are marked so.
usage: networks_table.py OUT NETS(comma-separated) NOTES PAPER_JSON TITLE
PAPER_JSON maps a network name to the paper's figure (a string), e.g. '{"vgg16": "96.11"}'."""
import json, os, sys

out, nets, notes, paper, title = sys.argv[1], sys.argv[2].split(","), sys.argv[3], json.loads(sys.argv[4]), sys.argv[5]
scratch = {l.split(":")[0] for l in open(notes) if "from scratch" in l} if os.path.exists(notes) else set()
latency = {}
lat_file = os.path.join(out, "latency.jsonl")
if os.path.exists(lat_file):
    for line in open(lat_file):
        r = json.loads(line)
        latency[(r.get("arch"), r.get("precision"))] = r.get("latency_ms")
print(f"\n{title} ({out}):\n")
print("| network | test accuracy % | macro F1 | parameters (M) | ms/image fp32 | ms/image bf16 | paper accuracy % |")
print("|---|---|---|---|---|---|---|")
for n in nets:
    p = os.path.join(out, n, "summary.json")
    name = n + (" (from scratch)" if n in scratch else "")
    if not os.path.exists(p):
        print(f"| {name} | not run | | | | | {paper.get(n, '-')} |")
        continue
    s = json.load(open(p))
    t = s["test"]
    ms = lambda prec: f"{latency[(n, prec)]:.2f}" if latency.get((n, prec)) is not None else "-"
    print(f"| {name} | {100 * t['accuracy']:.2f} | {t['macro_f1']:.4f} | {s.get('parameters', 0) / 1e6:.2f} | "
          f"{ms('fp32')} | {ms('bf16')} | {paper.get(n, '-')} |")
