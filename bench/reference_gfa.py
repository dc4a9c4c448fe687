#!/usr/bin/env python3
"""The peer of bench/gfa.sh: scikit-learn's RandomForestRegressor on element-fraction features,
k-fold cross-validated on exactly the folds alloyml used (read from its oof_predictions.csv).

    reference_gfa.py DATA_CSV OOF_CSV [TREES]

Formulas are parsed here with the same rules (brackets with multipliers, normalised amounts);
prints one JSON line with pooled out-of-fold R^2 and RMSE, per-fold mean +- std and wall time,
and the same figures for alloyml's out-of-fold predictions."""
import csv
import json
import re
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import mean_squared_error, r2_score

TOKEN = re.compile(r"([A-Z][a-z]?)|([0-9]*\.?[0-9]+)|([(\[{])|([)\]}])")


def parse(formula):
    """Atomic fractions of a formula: {symbol: fraction}."""
    stack = [{}]
    pos, last = 0, None
    s = formula.replace(" ", "")
    while pos < len(s):
        m = TOKEN.match(s, pos)
        if not m:
            raise ValueError(f"{formula}: cannot read at {pos}")
        el, num, open_, close = m.groups()
        pos = m.end()
        nxt = TOKEN.match(s, pos)
        amount = 1.0
        if (el or close) and nxt and nxt.group(2):
            amount = float(nxt.group(2))
            pos = nxt.end()
        if el:
            stack[-1][el] = stack[-1].get(el, 0.0) + amount
        elif open_:
            stack.append({})
        elif close:
            group = stack.pop()
            total = sum(group.values())
            for k, v in group.items():
                stack[-1][k] = stack[-1].get(k, 0.0) + amount * v / total
    total = sum(stack[0].values())
    return {k: v / total for k, v in stack[0].items()}


def main():
    data_csv, oof_csv = sys.argv[1], sys.argv[2]
    trees = int(sys.argv[3]) if len(sys.argv) > 3 else 500
    oof = list(csv.DictReader(open(oof_csv)))
    target_col = list(oof[0].keys())[3]
    rows = list(csv.DictReader(open(data_csv, newline="")))
    header = list(rows[0].keys())
    fcol = next(h for h in header if any(k in h.lower() for k in ("formula", "alloy", "composition")))
    comps = [parse(rows[int(r["row"]) - 1][fcol]) for r in oof]
    elements = sorted({e for c in comps for e in c})
    X = np.array([[c.get(e, 0.0) for e in elements] for c in comps])
    y = np.array([float(r[target_col]) for r in oof])
    fold = np.array([int(r["fold"]) for r in oof])
    ours = np.array([float(r["predicted"]) for r in oof])
    pred = np.zeros_like(y)
    t0 = time.time()
    for k in sorted(set(fold)):
        te = fold == k
        m = RandomForestRegressor(n_estimators=trees, n_jobs=-1, random_state=0).fit(X[~te], y[~te])
        pred[te] = m.predict(X[te])
    wall = time.time() - t0

    def scores(p):
        per = [r2_score(y[fold == k], p[fold == k]) for k in sorted(set(fold))]
        return {"r2_pooled": r2_score(y, p), "rmse_pooled": float(np.sqrt(mean_squared_error(y, p))),
                "r2_fold_mean": float(np.mean(per)), "r2_fold_std": float(np.std(per, ddof=1))}

    print(json.dumps({"peer": "sklearn RandomForestRegressor", "trees": trees, "features": len(elements),
                      "rows": len(y), "folds": int(fold.max()), "wall_s": wall, **scores(pred)}))
    print(json.dumps({"peer": "alloyml (same folds, from oof_predictions.csv)", **scores(ours)}))


if __name__ == "__main__":
    main()
