#!/usr/bin/python3
"""The Python peer of bench/bench_models: Debian's python3-torch/torchvision, eager mode,
fp32, all cores (with --bf16 also bf16 autocast + channels-last, for context). Prints one JSON
line per measurement."""
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


def report(arch, size, batch, mode, n, s, variant="eager"):
    print(json.dumps({"peer": "python-torch-eager", "arch": arch, "size": size, "batch": batch, "mode": mode,
                      "variant": variant,
                      "images_per_s": n * batch / s, "threads": torch.get_num_threads(),
                      "torch": torch.__version__}), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--threads", type=int, default=0, help="0: all cores")
    p.add_argument("--only", default="", help="one model and mode, e.g. resnet50:training")
    p.add_argument("--bf16", action="store_true", help="also bf16 autocast with channels-last")
    a = p.parse_args()
    torch.set_num_threads(a.threads or os.cpu_count())  # torch would use one thread here
    for arch, size, batch in [("resnet50", 224, 16), ("resnet34", 64, 32)]:
        want = lambda mode: not a.only or a.only == f"{arch}:{mode}"
        torch.manual_seed(0)
        model = getattr(torchvision.models, arch)(num_classes=6)
        x = torch.randn(batch, 3, size, size)
        y = torch.randint(0, 6, (batch,))
        if want("inference"):
            model.eval()

            def infer():
                with torch.inference_mode():
                    model(x)

            report(arch, size, batch, "inference", *measure(infer, 2, a.seconds))
            if a.bf16:
                cl = getattr(torchvision.models, arch)(num_classes=6).eval().to(memory_format=torch.channels_last)
                xc = x.contiguous(memory_format=torch.channels_last)

                def infer_bf16():
                    with torch.inference_mode(), torch.autocast("cpu", dtype=torch.bfloat16):
                        cl(xc)

                report(arch, size, batch, "inference", *measure(infer_bf16, 2, a.seconds), "bf16-autocast+channels-last")
        if want("training"):
            model.train()
            opt = torch.optim.Adam(model.parameters(), lr=1e-4)

            def step():
                opt.zero_grad()
                torch.nn.functional.cross_entropy(model(x), y).backward()
                opt.step()

            report(arch, size, batch, "training", *measure(step, 2, a.seconds))
            if a.bf16:
                cl = getattr(torchvision.models, arch)(num_classes=6).train().to(memory_format=torch.channels_last)
                xc = x.contiguous(memory_format=torch.channels_last)
                opt_cl = torch.optim.Adam(cl.parameters(), lr=1e-4)

                def step_bf16():
                    opt_cl.zero_grad()
                    with torch.autocast("cpu", dtype=torch.bfloat16):
                        logits = cl(xc)
                    torch.nn.functional.cross_entropy(logits.float(), y).backward()
                    opt_cl.step()

                report(arch, size, batch, "training", *measure(step_bf16, 2, a.seconds), "bf16-autocast+channels-last")


if __name__ == "__main__":
    main()
