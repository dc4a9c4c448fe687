#!/usr/bin/python3
"""scikit-image's GLCM properties of an image, as the reference for tests/classical/glcm_test.cpp.
  glcm_reference.py IMAGE.png LEVELS  -> one line of space-separated features, distance-major
  (distances 1 2 3, angles 0 45 90 135, properties contrast dissimilarity homogeneity energy
  correlation ASM)."""
import sys

import numpy as np
from skimage.feature import graycomatrix, graycoprops
from skimage.io import imread

img = imread(sys.argv[1])
levels = int(sys.argv[2])
q = (img.astype(np.int64) * levels // 256).astype(np.uint8)
angles = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]
m = graycomatrix(q, distances=[1, 2, 3], angles=angles, levels=levels, symmetric=True, normed=True)
props = ["contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"]
values = {p: graycoprops(m, p) for p in props}  # each [distance, angle]
out = [values[p][d, a] for d in range(3) for a in range(4) for p in props]
print(" ".join(f"{v:.12g}" for v in out))
