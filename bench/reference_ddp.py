#!/usr/bin/python3
"""The peer of bench/distributed.sh: the same training step in Debian's python3-torch, as one
process with T threads and as W DistributedDataParallel workers (Gloo over loopback) with T/W
threads each, on synthetic batches already in memory. Prints one JSON line per setting:
training images per second over the timed steps (after warm-up steps), the global batch fixed.

  reference_ddp.py --arch resnet34 --size 64 --channels 1 --classes 6 --batch 32 --steps 30 --workers 2
"""
import argparse
import json
import os
import socket
import time

import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torchvision


def network(args):
    m = getattr(torchvision.models, args.arch)(num_classes=args.classes)
    if args.channels != 3:  # a greyscale stem, as alloyml's channels=1
        m.conv1 = torch.nn.Conv2d(args.channels, 64, 7, 2, 3, bias=False)
    return m


def train(rank, world, args, port, out):
    torch.set_num_threads(max(1, args.threads // world))
    if world > 1:
        os.environ.update(MASTER_ADDR="127.0.0.1", MASTER_PORT=str(port))
        dist.init_process_group("gloo", rank=rank, world_size=world)
    torch.manual_seed(0)
    model = network(args)
    if world > 1:
        model = torch.nn.parallel.DistributedDataParallel(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    per = args.batch // world
    g = torch.Generator().manual_seed(rank)
    x = torch.randn(per, args.channels, args.size, args.size, generator=g)
    y = torch.randint(0, args.classes, (per,), generator=g)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step():
        opt.zero_grad(set_to_none=True)
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(args.warmup):
        step()
    if world > 1:
        dist.barrier()
    t0 = time.perf_counter()
    for _ in range(args.steps):
        step()
    if world > 1:
        dist.barrier()
    seconds = time.perf_counter() - t0
    if rank == 0:
        out.put(seconds)
    if world > 1:
        dist.destroy_process_group()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--arch", default="resnet34")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--channels", type=int, default=1)
    p.add_argument("--classes", type=int, default=6)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--steps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args()
    ctx = mp.get_context("spawn")
    for world in (1, args.workers):
        out = ctx.SimpleQueue()
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        procs = [ctx.Process(target=train, args=(r, world, args, port, out)) for r in range(world)]
        for q in procs:
            q.start()
        for q in procs:
            q.join()
        seconds = out.get()
        print(json.dumps({"peer": "python3-torch DDP" if world > 1 else "python3-torch", "arch": args.arch,
                          "size": args.size, "batch": args.batch, "workers": world,
                          "threads_per_worker": max(1, args.threads // world),
                          "images_per_s": args.batch * args.steps / seconds}), flush=True)


if __name__ == "__main__":
    main()
