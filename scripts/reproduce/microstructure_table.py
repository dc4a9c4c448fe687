#!/usr/bin/env python3
"""The comparison table of scripts/reproduce/microstructure.sh: each run's test split beside Luo et al.

usage: microstructure_table.py OUT_DIR RECIPES(comma-separated) NOTES_FILE
"""
import json, os, re, sys
out, recipes, notes = sys.argv[1], sys.argv[2].split(","), sys.argv[3]
CLASSES = ["F+P", "M", "M+A", "M+B", "tempered troostite"]
# recipe -> (network in the paper, recall % per class, F1 per class), Luo et al. via PAPERS.md
PAPER = {
    "vgg19": ("VGG19", [91.25, 88.36, 98.63, 96.52, 98.25], [0.912, 0.875, 0.904, 0.915, 0.866]),
    "alexnet": ("AlexNet-TL", [85.63, 86.25, 97.21, 84.25, 94.36], [0.905, 0.867, 0.933, 0.25, 0.934]),
    "mobilenet_v2": ("MobileNetV2-TL", [90.11, 89.42, 94.56, 92.36, 93.28], [0.992, 0.973, 0.981, 0.867, 0.953]),
    "se_resnext101": ("SE-ResNeXt101-TL", [92.53, 94.25, 99.21, 99.16, 99.04], [0.953, 0.966, 0.994, 0.983, 0.989]),
}
MEAN_ACCURACY = {"se_resnext101": "98.2"}
# Accuracy (%) on tempered troostite; the last three from the differences the paper states.
TROOSTITE = {"se_resnext101": "97.82", "vgg19": "92.13", "alexnet": "90.63", "mobilenet_v2": "92.39",
             "se_resnext101_scratch": "97.82 - 5.83", "seresnext50": "97.82 - 3.74", "glcm_svm": "97.82 - 2.13"}

def paper_class(name):
    k = re.sub(r"[^a-z+]", "", name.lower().replace("_", "+").replace("-", "+").replace(" ", ""))
    aliases = {"f+p": "F+P", "fp": "F+P", "ferrite+pearlite": "F+P", "ferritepearlite": "F+P", "m": "M",
               "martensite": "M", "m+a": "M+A", "ma": "M+A", "martensite+austenite": "M+A",
               "martensite+retained+austenite": "M+A", "m+b": "M+B", "mb": "M+B", "martensite+bainite": "M+B",
               "temperedtroostite": "tempered troostite", "tempered+troostite": "tempered troostite",
               "troostite": "tempered troostite", "tt": "tempered troostite"}
    return aliases.get(k)

rows = []
for r in recipes:
    p = os.path.join(out, r, "summary.json")
    if os.path.exists(p):
        rows.append((r, json.load(open(p))["test"]))
print(f"\nTest split of each run ({out}), ours beside Luo et al.:\n")
print("| recipe | accuracy % | macro P | macro R | macro F1 | paper mean accuracy % | paper accuracy on tempered troostite % |")
print("|---|---|---|---|---|---|---|")
scratch = {l.split(":")[0] for l in open(notes) if "from scratch" in l}
label = lambda r: r + (" (from scratch)" if r in scratch else "")
for r, t in rows:
    print(f"| {label(r)} | {100 * t['accuracy']:.2f} | {t['macro_precision']:.4f} | {t['macro_recall']:.4f} | "
          f"{t['macro_f1']:.4f} | {MEAN_ACCURACY.get(r, '-')} | {TROOSTITE.get(r, '-')} |")
if rows:
    names = rows[0][1]["class_names"]
    print("\nPer class: recall % and F1, ours (paper)\n")
    print("| recipe | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    for r, t in rows:
        cells = []
        for n in names:
            c = t["per_class"][n]
            pc = paper_class(n)
            paper = PAPER.get(r)
            if paper and pc:
                i = CLASSES.index(pc)
                cells.append(f"{100 * c['recall']:.1f} ({paper[1][i]:.2f}) / {c['f1']:.3f} ({paper[2][i]:.3f})")
            else:
                cells.append(f"{100 * c['recall']:.1f} (-) / {c['f1']:.3f} (-)")
        print(f"| {label(r)} | " + " | ".join(cells) + " |")
    if not any(paper_class(n) for n in names):
        print("\nNone of these classes is one of the paper's (" + ", ".join(CLASSES) + "); its per-class figures:\n")
        print("| network | " + " | ".join(f"{c} recall % / F1" for c in CLASSES) + " |")
        print("|---|" + "---|" * len(CLASSES))
        for net, rec, f1 in PAPER.values():
            print(f"| {net} | " + " | ".join(f"{a:.2f} / {b:.3f}" for a, b in zip(rec, f1)) + " |")
text = open(notes).read().strip()
if text:
    print("\nNotes:\n" + text)
