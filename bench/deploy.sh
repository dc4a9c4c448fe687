#!/usr/bin/env bash
# Deployment of Huang et al.'s networks (issue 22): per-image latency at batch 1 and throughput at
# batch 32, fp32 and bf16, for the SARSN teachers and the ResNet34 student as alloyml-predict runs
# them, against the same student in Debian's python3-torch eager, ROUNDS times back to back (this
# machine drifts; medians are reported). With a distillation run directory, its accuracy beside
# its teacher's on the same test images (summary.json) joins the table.
#   bench/deploy.sh [SECONDS] [ROUNDS] [STUDENT_RUN] [SIZE] [CHANNELS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-3}; rounds=${2:-3}; student_run=${3:-}; size=${4:-64}; channels=${5:-1}
source scripts/cpu.sh
scripts/setup.sh --peers > /dev/null
cmake --preset release -DALLOYML_BUILD_BENCH=ON > /dev/null
cmake --build --preset release -j "$(nproc)" --target alloyml-bench-deploy > /dev/null
out=${OUT:-build/bench-deploy.jsonl}
: > "$out"
for round in $(seq 1 "$rounds"); do
  echo "round $round of $rounds" >&2
  build/release/bin/alloyml-bench-deploy "$seconds" "$size" "$channels" resnet34 sarsn34 sarsn50 sarsn101 \
    | sed "s/}$/, \"round\": $round}/" >> "$out"
  /usr/bin/python3 bench/reference_deploy.py --arch resnet34 --size "$size" --channels "$channels" --seconds "$seconds" \
    --precisions "$(IFS=,; echo "${precisions[*]}")" | sed "s/}$/, \"round\": $round}/" >> "$out"
done
echo "$cpu_line"
/usr/bin/python3 - "$out" "$student_run" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
student_run = sys.argv[2]
keys = sorted({(r["peer"], r["arch"], r["precision"]) for r in rows}, key=lambda k: (k[0] != "alloyml", k[1] != "resnet34", k[1], k[2]))
med = {}
for k in keys:
    rs = [r for r in rows if (r["peer"], r["arch"], r["precision"]) == k]
    med[k] = (statistics.median(r["latency_ms"] for r in rs), statistics.median(r["images_per_s_b32"] for r in rs), rs[0]["parameters"])
r0 = rows[0]
print(f"{r0['size']} px, {r0['channels']} channel(s), {r0['threads']} threads; medians of {max(r['round'] for r in rows)} rounds")
print("| network | peer | precision | parameters | ms per image, batch 1 | images/s, batch 32 |")
print("|---|---|---|---|---|---|")
for k in keys:
    lat, ips, params = med[k]
    name = k[1] + (" (student)" if k[1] == "resnet34" else "")
    print(f"| {name} | {k[0]} | {k[2]} | {params / 1e6:.1f} M | {lat:.2f} | {ips:.0f} |")
for prec in ("fp32", "bf16"):
    s, t = med.get(("alloyml", "resnet34", prec)), med.get(("alloyml", "sarsn50", prec))
    p = med.get(("python3-torch eager", "resnet34", prec))
    if s and t:
        print(f"{prec}: student {t[0] / s[0]:.2f}x faster than sarsn50 at batch 1 (target 3x: "
              f"{'met' if t[0] / s[0] >= 3 else 'NOT met'}); {s[1] / t[1]:.2f}x its throughput at batch 32")
    if s and p:
        print(f"{prec}: student in alloyml against python3-torch eager: batch 1 {p[0] / s[0]:.2f}x, batch 32 {s[1] / p[1]:.2f}x")
if student_run:
    s = json.load(open(student_run + "/summary.json"))
    t = s.get("teacher", {})
    if "test" in s and "test" in t:
        gap = 100 * (t["test"]["accuracy"] - s["test"]["accuracy"])
        print(f"accuracy on the same test images: student {s['model']} {100 * s['test']['accuracy']:.2f} %, teacher "
              f"{t['model']} {100 * t['test']['accuracy']:.2f} % (student {abs(gap):.2f} points {'below' if gap > 0 else 'above'} it; target at most 1 below: "
              f"{'met' if gap <= 1 else 'NOT met'})")
PY
