#!/usr/bin/python3
"""The Python peer of alloyml's classical baselines (Huang et al. 2023, Fig. 17): scikit-image
features (Gabor bank, uniform LBP, HOG, GLCM) and scikit-learn classifiers (one-vs-rest RBF SVC
with the same C/gamma grid, or k-NN with the same k grid, chosen on the validation split) on the
split of an alloyml run.
  reference_texture.py RUN_DIR/split.csv SIZE MODEL  -> one JSON line"""
import csv, json, sys, time

import numpy as np
from skimage.feature import graycomatrix, graycoprops, hog, local_binary_pattern
from skimage.filters import gabor
from skimage.io import imread
from skimage.transform import resize
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

split_csv, size, model = sys.argv[1], int(sys.argv[2]), sys.argv[3]
kind, classifier = model.split("_")
rows = list(csv.DictReader(open(split_csv)))


def gray8(path):
    img = imread(path, as_gray=True)
    if img.dtype != np.uint8:
        img = (img * 255).round().astype(np.uint8) if img.max() <= 1.0 else img.astype(np.uint8)
    if img.shape != (size, size):
        img = resize(img, (size, size), preserve_range=True, anti_aliasing=True).round().astype(np.uint8)
    return img


def features(img):
    if kind == "gabor":
        x = img.astype(np.float64) / 255.0
        out = []
        for f in (0.1, 0.2, 0.3, 0.4):
            for i in range(4):
                re, im = gabor(x, frequency=f, theta=np.pi * i / 4, bandwidth=1)
                m = np.hypot(re, im)
                out += [m.mean(), m.std()]
        return out
    if kind == "lbp":
        out = []
        for p, r in ((8, 1), (16, 2), (24, 3)):
            codes = local_binary_pattern(img, p, r, method="uniform")
            out += list(np.bincount(codes.astype(int).ravel(), minlength=p + 2) / codes.size)
        return out
    if kind == "hog":
        return list(hog(img, orientations=9, pixels_per_cell=(16, 16), cells_per_block=(2, 2), block_norm="L2-Hys"))
    q = (img.astype(np.int64) * 64 // 256).astype(np.uint8)
    m = graycomatrix(q, [1, 2, 3], [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4], levels=64, symmetric=True, normed=True)
    props = ["contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"]
    v = {p: graycoprops(m, p) for p in props}
    return [v[p][d, a] for d in range(3) for a in range(4) for p in props]


# A split of a folder names each image in "path"; a split of manifests in "source".
images = [gray8(r.get("path") or r["source"]) for r in rows]  # decoding is not part of the feature time
t0 = time.perf_counter()
X = np.array([features(img) for img in images], dtype=np.float64)
t_features = time.perf_counter() - t0
labels = sorted({r["label"] for r in rows})
y = np.array([labels.index(r["label"]) for r in rows])
part = np.array([r["split"] for r in rows])
tr, va, te = part == "train", part == "val", part == "test"

t1 = time.perf_counter()
Xs = StandardScaler().fit(X[tr]).transform(X)
if classifier == "svm":
    grid = [{"C": C, "gamma": g} for C in [0.1, 1, 10, 100] for g in [0.001, 0.01, 0.1, 1]]
    make = lambda p: OneVsRestClassifier(SVC(C=p["C"], gamma=p["gamma"], kernel="rbf"))
else:
    grid = [{"k": k} for k in [1, 3, 5, 7, 9]]
    make = lambda p: KNeighborsClassifier(n_neighbors=p["k"])
best = (-1, None, None)
for p in grid:
    clf = make(p).fit(Xs[tr], y[tr])
    acc = (clf.predict(Xs[va]) == y[va]).mean()
    if acc > best[0]:
        best = (acc, clf, p)
t_fit = time.perf_counter() - t1
test_acc = float((best[1].predict(Xs[te]) == y[te]).mean())
print(json.dumps({"peer": "skimage+sklearn", "model": model, "images": len(rows), "features_per_image": X.shape[1],
                  "feature_seconds": t_features, "fit_seconds": t_fit, "chosen": best[2],
                  "val_accuracy": float(best[0]), "test_accuracy": test_acc}))
