#!/usr/bin/python3
"""scikit-image's texture features of an image, as the reference for tests/classical/texture_test.cpp.
  texture_reference.py IMAGE.png gabor|lbp|hog  -> one line of space-separated features, in the
  order alloyml's texture.h documents (its default options)."""
import sys

import numpy as np
from skimage.feature import hog, local_binary_pattern
from skimage.filters import gabor
from skimage.io import imread
from skimage.util import img_as_float

img = imread(sys.argv[1])
kind = sys.argv[2]
out = []
if kind == "gabor":
    x = img_as_float(img)
    for f in (0.1, 0.2, 0.3, 0.4):
        for i in range(4):
            re, im = gabor(x, frequency=f, theta=np.pi * i / 4, bandwidth=1)
            m = np.hypot(re, im)
            out += [m.mean(), m.std()]
elif kind == "lbp":
    for p, r in ((8, 1), (16, 2), (24, 3)):
        codes = local_binary_pattern(img, p, r, method="uniform")
        h = np.bincount(codes.astype(int).ravel(), minlength=p + 2)
        out += list(h / codes.size)
elif kind == "hog":
    out = list(hog(img, orientations=9, pixels_per_cell=(16, 16), cells_per_block=(2, 2), block_norm="L2-Hys"))
print(" ".join(f"{v:.12g}" for v in out))
