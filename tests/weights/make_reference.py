#!/usr/bin/python3
"""Makes reference weight files with Debian's python3-torch/torchvision for the C++ tests.

  make_reference.py OUT_DIR formats       files that exercise the .pth reader
  make_reference.py OUT_DIR model NAME    a torchvision model: NAME.pth, NAME.input.f32, NAME.logits.f32
  make_reference.py OUT_DIR shorten FILE  cuts FILE's largest storage record (data/N) to half, in place
  make_reference.py OUT_DIR check FILE    loads FILE (a .pth alloyml wrote) and prints its keys and shapes
  make_reference.py OUT_DIR pyeval ARCH CLASSES PTH INPUT SIZE OUT   torchvision logits of an alloyml export
  make_reference.py OUT_DIR cadene      a Cadene-style SE-ResNeXt50 (pretrainedmodels' layout and names,
                                        written out here): cadene.pth, cadene.input.f32, cadene.logits.f32
"""
import collections, sys, zipfile

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
    hostile(out)


def archive(path, records, compress=zipfile.ZIP_STORED):
    """A torch-style zip: every record under one top folder, as torch.save writes them."""
    with zipfile.ZipFile(path, "w", compression=compress) as z:
        for name, data in records.items():
            z.writestr(f"archive/{name}", data)


def hostile(out):
    """Files a hostile or unlucky user could hand the reader (each must be refused, not crash)."""
    n = 100_000
    # 100k nested lists: EMPTY_LIST n times, then APPEND n-1 times, STOP.
    archive(f"{out}/deep.pth", {"data.pkl": b"\x80\x02" + b"]" * n + b"a" * (n - 1) + b".", "version": b"3\n"})
    # A list that holds itself (EMPTY_LIST, BINPUT 0, BINGET 0, APPEND, STOP).
    archive(f"{out}/cycle.pth", {"data.pkl": b"\x80\x02]q\x00h\x00a.", "version": b"3\n"})
    # A small archive whose data.pkl unpacks to 80 MB (more than any pickle torch.save writes).
    archive(f"{out}/bomb.pth", {"data.pkl": b"\x80\x02N" + b"\x00" * (80 << 20), "version": b"3\n"}, zipfile.ZIP_DEFLATED)
    # A TorchScript archive whose weight storage is shorter than its tensor.
    m = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3))
    torch.jit.save(torch.jit.script(m), f"{out}/short_script.pt")
    shorten(f"{out}/short_script.pt")
    # A state dict with the same damage.
    torch.save(collections.OrderedDict(w=torch.randn(64, 64)), f"{out}/short_state.pth")
    shorten(f"{out}/short_state.pth")


def shorten(path):
    """Cuts the largest data/N record of a torch archive to half its size, in place."""
    with zipfile.ZipFile(path) as z:
        records = {i.filename: z.read(i.filename) for i in z.infolist()}
    name = max((k for k in records if "/data/" in k), key=lambda k: len(records[k]))
    records[name] = records[name][: len(records[name]) // 2]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as z:
        for k, v in records.items():
            z.writestr(k, v)


def randomise_batch_norm(m):
    """Non-trivial batch-norm statistics and affine parameters, as a trained model has; eval mode."""
    with torch.no_grad():
        for mod in m.modules():
            if isinstance(mod, torch.nn.BatchNorm2d):
                mod.running_mean.uniform_(-0.2, 0.2)
                mod.running_var.uniform_(0.5, 1.5)
                mod.weight.uniform_(0.5, 1.5)
                mod.bias.uniform_(-0.2, 0.2)
    return m.eval()


def model(out, name):
    import torchvision
    torch.manual_seed(0)
    m = randomise_batch_norm(getattr(torchvision.models, name)(num_classes=10))
    torch.save(m.state_dict(), f"{out}/{name}.pth")
    size = 224 if name in ("alexnet", "vgg16", "vgg19") else 299 if name == "inception_v3" else 96
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


def cadene(out):
    """SE-ResNeXt50 (32x4d) as Cadene's pretrainedmodels builds it (senet.py): layer0 with a
    ceil-mode max-pool without padding, SE blocks `se_module.fc1/fc2` as 1x1 convolutions with
    channels // 16, 1x1 downsample, a 7x7 average pool and `last_linear`. Random weights,
    randomised batch-norm statistics, eval mode."""
    import collections
    import torch.nn as nn

    class SE(nn.Module):
        def __init__(self, ch, reduction):
            super().__init__()
            self.avg_pool = nn.AdaptiveAvgPool2d(1)
            self.fc1 = nn.Conv2d(ch, ch // reduction, 1)
            self.relu = nn.ReLU(inplace=True)
            self.fc2 = nn.Conv2d(ch // reduction, ch, 1)
            self.sigmoid = nn.Sigmoid()

        def forward(self, x):
            s = self.sigmoid(self.fc2(self.relu(self.fc1(self.avg_pool(x)))))
            return x * s

    class Block(nn.Module):
        def __init__(self, inplanes, planes, stride, downsample):
            super().__init__()
            width = (planes * 4 // 64) * 32
            self.conv1 = nn.Conv2d(inplanes, width, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(width)
            self.conv2 = nn.Conv2d(width, width, 3, stride=stride, padding=1, groups=32, bias=False)
            self.bn2 = nn.BatchNorm2d(width)
            self.conv3 = nn.Conv2d(width, planes * 4, 1, bias=False)
            self.bn3 = nn.BatchNorm2d(planes * 4)
            self.relu = nn.ReLU(inplace=True)
            self.se_module = SE(planes * 4, 16)
            self.downsample = downsample

        def forward(self, x):
            r = x if self.downsample is None else self.downsample(x)
            y = self.relu(self.bn1(self.conv1(x)))
            y = self.relu(self.bn2(self.conv2(y)))
            y = self.se_module(self.bn3(self.conv3(y)))
            return self.relu(y + r)

    class SENet(nn.Module):
        def __init__(self, classes):
            super().__init__()
            self.layer0 = nn.Sequential(collections.OrderedDict([
                ("conv1", nn.Conv2d(3, 64, 7, stride=2, padding=3, bias=False)), ("bn1", nn.BatchNorm2d(64)),
                ("relu1", nn.ReLU(inplace=True)), ("pool", nn.MaxPool2d(3, stride=2, ceil_mode=True))]))
            inplanes, layers = 64, []
            for planes, blocks, stride in [(64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)]:
                mods = []
                for b in range(blocks):
                    down = None
                    if b == 0 and (stride != 1 or inplanes != planes * 4):
                        down = nn.Sequential(nn.Conv2d(inplanes, planes * 4, 1, stride=stride, bias=False),
                                             nn.BatchNorm2d(planes * 4))
                    mods.append(Block(inplanes, planes, stride if b == 0 else 1, down))
                    inplanes = planes * 4
                layers.append(nn.Sequential(*mods))
            self.layer1, self.layer2, self.layer3, self.layer4 = layers
            self.avg_pool = nn.AvgPool2d(7, stride=1)
            self.last_linear = nn.Linear(2048, classes)

        def forward(self, x):
            x = self.layer0(x)
            x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
            return self.last_linear(torch.flatten(self.avg_pool(x), 1))

    torch.manual_seed(0)
    m = randomise_batch_norm(SENet(10))
    torch.save(m.state_dict(), f"{out}/cadene.pth")
    x = torch.randn(2, 3, 224, 224)
    with torch.no_grad():
        y = m(x)
    x.numpy().tofile(f"{out}/cadene.input.f32")
    y.numpy().tofile(f"{out}/cadene.logits.f32")


def check(path):
    sd = torch.load(path)
    for k, v in sd.items():
        print(k, list(v.shape), v.dtype, float(v.double().sum()))


if __name__ == "__main__":
    out, what = sys.argv[1], sys.argv[2]
    {"formats": lambda: formats(out), "model": lambda: model(out, sys.argv[3]), "check": lambda: check(sys.argv[3]),
     "shorten": lambda: shorten(sys.argv[3]),
     "pyeval": lambda: pyeval(*sys.argv[3:9]), "cadene": lambda: cadene(out)}[what]()
