#!/usr/bin/python3
"""The Python peer of alloyml's glcm_svm: scikit-image GLCM features and scikit-learn RBF SVMs
(one-vs-rest, same C/gamma grid chosen on the validation split) on the split of an alloyml run.
  reference_glcm_svm.py RUN_DIR/split.csv SIZE  -> one JSON line"""
import csv, json, sys, time

import numpy as np
from skimage.feature import graycomatrix, graycoprops
from skimage.io import imread
from skimage.transform import resize
from sklearn.multiclass import OneVsRestClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

split_csv, size = sys.argv[1], int(sys.argv[2])
rows = list(csv.DictReader(open(split_csv)))
props = ["contrast", "dissimilarity", "homogeneity", "energy", "correlation", "ASM"]
angles = [0, np.pi / 4, np.pi / 2, 3 * np.pi / 4]


def features(path):
    img = imread(path, as_gray=True)
    if img.dtype != np.uint8:
        img = (img * 255).round().astype(np.uint8) if img.max() <= 1.0 else img.astype(np.uint8)
    if img.shape != (size, size):
        img = (resize(img, (size, size), preserve_range=True, anti_aliasing=True)).round().astype(np.uint8)
    q = (img.astype(np.int64) * 64 // 256).astype(np.uint8)
    m = graycomatrix(q, [1, 2, 3], angles, levels=64, symmetric=True, normed=True)
    v = {p: graycoprops(m, p) for p in props}
    return [v[p][d, a] for d in range(3) for a in range(4) for p in props]


t0 = time.perf_counter()
X = np.array([features(r["path"]) for r in rows], dtype=np.float64)
t_features = time.perf_counter() - t0
labels = sorted({r["label"] for r in rows})
y = np.array([labels.index(r["label"]) for r in rows])
part = np.array([r["split"] for r in rows])
tr, va, te = part == "train", part == "val", part == "test"

t1 = time.perf_counter()
scaler = StandardScaler().fit(X[tr])
Xs = scaler.transform(X)
best = (-1, None)
for C in [0.1, 1, 10, 100]:
    for gamma in [0.001, 0.01, 0.1, 1]:
        clf = OneVsRestClassifier(SVC(C=C, gamma=gamma, kernel="rbf")).fit(Xs[tr], y[tr])
        acc = (clf.predict(Xs[va]) == y[va]).mean()
        if acc > best[0]:
            best = (acc, clf, C, gamma)
t_fit = time.perf_counter() - t1
test_acc = float((best[1].predict(Xs[te]) == y[te]).mean())
print(json.dumps({"peer": "skimage+sklearn", "images": len(rows), "feature_seconds": t_features,
                  "fit_seconds": t_fit, "C": best[2], "gamma": best[3], "val_accuracy": float(best[0]),
                  "test_accuracy": test_acc}))
