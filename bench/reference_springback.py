#!/usr/bin/python3
"""scikit-learn peers of the springback models, on the same train/test files as alloyml:
MLPRegressor (lbfgs, one hidden layer of the same size, logistic units) and LinearRegression.
Inputs and target are min-max scaled to [-1, 1] with the training rows, as alloyml does.

    reference_springback.py TRAIN.csv TEST.csv HIDDEN SEEDS
Prints one JSON line per model: test RMSE (best-of and mean/std over seeds), fit seconds per fit.
"""
import csv
import json
import sys
import time
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LinearRegression
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import MinMaxScaler

FEATURES = ["stroke_mm", "force_kN", "time_s", "fulcrum_mm", "instant_springback_mm"]
TARGET = "springback_mm"


def load(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    x = np.array([[float(r[c]) for c in FEATURES] for r in rows])
    y = np.array([float(r[TARGET]) for r in rows])
    return x, y


def rmse(a, b):
    return float(np.sqrt(np.mean((a - b) ** 2)))


def main():
    train, test, hidden, seeds = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    xtr, ytr = load(train)
    xte, yte = load(test)
    sx = MinMaxScaler((-1, 1)).fit(xtr)
    sy = MinMaxScaler((-1, 1)).fit(ytr.reshape(-1, 1))
    xtr_s, xte_s = sx.transform(xtr), sx.transform(xte)
    ytr_s = sy.transform(ytr.reshape(-1, 1)).ravel()

    t0 = time.perf_counter()
    lin = LinearRegression().fit(xtr, ytr)
    lin_s = time.perf_counter() - t0
    print(json.dumps({"peer": "sklearn", "model": "LinearRegression", "test_rmse": rmse(lin.predict(xte), yte),
                      "fit_seconds": lin_s}))

    scores, times = [], []
    warnings.simplefilter("ignore", ConvergenceWarning)
    for seed in range(seeds):
        mlp = MLPRegressor(hidden_layer_sizes=(hidden,), activation="logistic", solver="lbfgs", max_iter=1000,
                           alpha=0.0, random_state=seed)
        t0 = time.perf_counter()
        mlp.fit(xtr_s, ytr_s)
        times.append(time.perf_counter() - t0)
        pred = sy.inverse_transform(mlp.predict(xte_s).reshape(-1, 1)).ravel()
        scores.append(rmse(pred, yte))
    print(json.dumps({"peer": "sklearn", "model": "MLPRegressor(lbfgs)", "test_rmse_mean": float(np.mean(scores)),
                      "test_rmse_std": float(np.std(scores, ddof=1)) if seeds > 1 else 0.0,
                      "test_rmse_best": float(np.min(scores)), "fit_seconds": float(np.mean(times))}))


if __name__ == "__main__":
    main()
