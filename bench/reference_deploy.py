"""The peer of bench_deploy.cpp: a torchvision network in Debian's python3-torch, eager, as a
Python user would deploy it (eval, inference_mode; bf16 by CPU autocast), timed the same way:
median single-call latency at batch 1 and throughput at batch 32. One JSON line per precision.
  python3 bench/reference_deploy.py --arch resnet34 --size 64 --channels 1 --seconds 5
"""
import argparse
import json
import os
import statistics
import time

import torch
import torchvision


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="resnet34")
    ap.add_argument("--size", type=int, default=64)
    ap.add_argument("--channels", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=5.0)
    ap.add_argument("--precisions", default="fp32,bf16", help="comma-separated: fp32 (eager), bf16 (CPU autocast)")
    a = ap.parse_args()
    torch.set_num_threads(os.cpu_count())
    torch.manual_seed(0)
    model = getattr(torchvision.models, a.arch)(num_classes=6)
    if a.channels != 3:
        model.conv1 = torch.nn.Conv2d(a.channels, 64, 7, 2, 3, bias=False)
    model.eval()
    one = torch.randn(1, a.channels, a.size, a.size)
    many = torch.randn(32, a.channels, a.size, a.size)
    params = sum(p.numel() for p in model.parameters())
    for precision in a.precisions.split(","):
        def run(x):
            with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16, enabled=precision == "bf16"):
                model(x)
        for _ in range(5):
            run(one)
            run(many)
        times = []
        start = time.perf_counter()
        while time.perf_counter() - start < a.seconds or len(times) < 20:
            t0 = time.perf_counter()
            run(one)
            times.append(time.perf_counter() - t0)
        batches = 0
        start = time.perf_counter()
        while time.perf_counter() - start < a.seconds or batches < 3:
            run(many)
            batches += 1
        print(json.dumps({"peer": "python3-torch eager", "arch": a.arch, "precision": precision, "size": a.size,
                          "channels": a.channels, "parameters": params, "latency_ms": 1e3 * statistics.median(times),
                          "images_per_s_b32": 32 * batches / (time.perf_counter() - start),
                          "threads": torch.get_num_threads()}), flush=True)


if __name__ == "__main__":
    main()
