#!/usr/bin/python3
"""The Python peer of bench/bench_models: Debian's python3-torch/torchvision, eager mode,
fp32, all cores. Prints one JSON line per measurement."""
import argparse, json, os, time

import torch
import torchvision


def measure(fn, warmup, seconds):
    for _ in range(warmup):
        fn()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds or n < 3:
        fn()
        n += 1
    return n, time.perf_counter() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--threads", type=int, default=0, help="0: all cores")
    a = p.parse_args()
    torch.set_num_threads(a.threads or os.cpu_count())  # torch would use one thread here
    for arch, size, batch in [("resnet50", 224, 16), ("resnet34", 64, 32)]:
        torch.manual_seed(0)
        model = getattr(torchvision.models, arch)(num_classes=6)
        x = torch.randn(batch, 3, size, size)
        y = torch.randint(0, 6, (batch,))
        model.eval()

        def infer():
            with torch.inference_mode():
                model(x)

        n, s = measure(infer, 2, a.seconds)
        print(json.dumps({"peer": "python-torch-eager", "arch": arch, "size": size, "batch": batch,
                          "mode": "inference", "images_per_s": n * batch / s, "threads": torch.get_num_threads(),
                          "torch": torch.__version__}), flush=True)
        model.train()
        opt = torch.optim.Adam(model.parameters(), lr=1e-4)

        def step():
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            opt.step()

        n, s = measure(step, 2, a.seconds)
        print(json.dumps({"peer": "python-torch-eager", "arch": arch, "size": size, "batch": batch,
                          "mode": "training", "images_per_s": n * batch / s, "threads": torch.get_num_threads(),
                          "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
