#!/usr/bin/python3
"""Makes reference weight files with Debian's python3-torch/torchvision for the C++ tests.

  make_reference.py OUT_DIR formats       files that exercise the .pth reader
  make_reference.py OUT_DIR model NAME    a torchvision model: NAME.pth, NAME.input.f32, NAME.logits.f32
  make_reference.py OUT_DIR check FILE    loads FILE (a .pth alloyml wrote) and prints its keys and shapes
  make_reference.py OUT_DIR pyeval ARCH CLASSES PTH INPUT SIZE OUT   torchvision logits of an alloyml export
"""
import collections, sys

import torch


def formats(out):
    torch.manual_seed(0)
    base = torch.arange(24, dtype=torch.float32).reshape(4, 6)
    sd = collections.OrderedDict()
    sd["plain"] = torch.randn(3, 4)
    sd["view_of_shared"] = base[1:3, 2:5]            # offset and strides into a shared storage
    sd["shared_whole"] = base                        # the same storage again
    sd["transposed"] = base.t()
    sd["half"] = torch.randn(5).half()
    sd["double"] = torch.randn(2, 2).double()
    sd["long"] = torch.tensor([7, -3, 2**40])
    sd["scalar"] = torch.tensor(3)
    sd["param"] = torch.nn.Parameter(torch.ones(2))
    torch.save(sd, f"{out}/formats.pth")
    torch.save({"epoch": 3, "state_dict": sd, "optimizer": {"lr": 0.1}}, f"{out}/wrapped.pth")
    torch.save(collections.OrderedDict((f"module.{k}", v) for k, v in sd.items()), f"{out}/dataparallel.pth")
    torch.save(sd, f"{out}/legacy.pth", _use_new_zipfile_serialization=False)
    m = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.BatchNorm2d(2))
    torch.jit.save(torch.jit.script(m), f"{out}/scripted.pt")
    with open(f"{out}/expected.txt", "w") as f:
        for k, v in sd.items():
            f.write(f"{k} {v.dtype} {list(v.shape)} {float(v.double().sum()):.17g}\n")


def model(out, name):
    import torchvision
    torch.manual_seed(0)
    m = getattr(torchvision.models, name)(num_classes=10)
    with torch.no_grad():  # non-trivial batch-norm statistics, as a trained model has
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
    m.eval()
    torch.save(m.state_dict(), f"{out}/{name}.pth")
    size = 224 if name in ("alexnet", "vgg19") else 96
    x = torch.randn(2, 3, size, size)
    with torch.no_grad():
        y = m(x)
    x.numpy().tofile(f"{out}/{name}.input.f32")
    y.numpy().tofile(f"{out}/{name}.logits.f32")
    print(size)


def pyeval(arch, classes, pth, inp, size, out):
    """Loads an alloyml export into the torchvision model (strict) and writes its logits."""
    import numpy as np
    import torchvision
    m = getattr(torchvision.models, arch)(num_classes=int(classes))
    m.load_state_dict(torch.load(pth))
    m.eval()
    x = torch.from_numpy(np.fromfile(inp, dtype=np.float32).reshape(-1, 3, int(size), int(size)))
    with torch.no_grad():
        m(x).numpy().tofile(out)


def check(path):
    sd = torch.load(path)
    for k, v in sd.items():
        print(k, list(v.shape), v.dtype, float(v.double().sum()))


if __name__ == "__main__":
    out, what = sys.argv[1], sys.argv[2]
    {"formats": lambda: formats(out), "model": lambda: model(out, sys.argv[3]), "check": lambda: check(sys.argv[3]),
     "pyeval": lambda: pyeval(*sys.argv[3:9])}[what]()
