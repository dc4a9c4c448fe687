#!/usr/bin/env python3
"""Fails on an #include that breaks the layer table of docs/architecture.md (issue 41).

  scripts/check_layers.py [ROOT]

The table's rows name each folder of include/alloyml/ (a layer) and the layers it may include;
src/LAYER/ and include/alloyml/LAYER/ are held to their row, apps/ to the headers its row names.
Inside tasks/, a task's folder (tasks/NAME/) includes the shared tasks/*.h and its own folder only,
and only src/tasks/builtin_pipelines.cpp names every task. Prints each break as FILE:LINE and
exits 1 when there is any; the table itself must list every layer there is.
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
DOC = os.path.join(ROOT, "docs", "architecture.md")
INCLUDE = re.compile(r'^\s*#\s*include\s+"alloyml/([a-z0-9_]+)/([^"]+)"')
ROW = re.compile(r"^\| `([a-z0-9_]+)/` \|.*\| ([^|]+) \|$")
SHARED_TASK_FOLDERS = {"commands"}  # folders of tasks/ that are not a task
COMPOSITION_ROOT = "src/tasks/builtin_pipelines.cpp"


def read_table():
    """{layer: (allowed layers, allowed headers)} in the table's order."""
    table, order = {}, []
    for line in open(DOC, encoding="utf-8"):
        m = ROW.match(line.rstrip("\n"))
        if not m:
            continue
        layer, allowed = m.group(1), m.group(2).strip()
        layers, headers = set(), set()
        if allowed == "everything above":
            layers = set(order)
        elif allowed != "nothing of alloyml":
            for part in (p.strip() for p in allowed.split(",")):
                part = part.replace("(torch)", "").strip()
                if part.startswith("`"):
                    headers.add(part.strip("`"))
                else:
                    if part not in order:
                        sys.exit(f"{DOC}: the row of {layer}/ names '{part}', which is not a layer above it")
                    layers.add(part)
        table[layer] = (layers, headers)
        order.append(layer)
    if not table:
        sys.exit(f"{DOC}: no layer table found")
    return table


def files(top):
    for folder, _, names in os.walk(os.path.join(ROOT, top)):
        for name in sorted(names):
            if name.endswith((".h", ".hpp", ".cpp")):
                path = os.path.join(folder, name)
                yield os.path.relpath(path, ROOT)


def task_folder(rel_in_tasks):
    """The task a path inside tasks/ belongs to, or None for the shared part."""
    parts = rel_in_tasks.split("/")
    if len(parts) < 2 or parts[0] in SHARED_TASK_FOLDERS:
        return None
    return parts[0]


def main():
    table = read_table()
    breaks = []
    present = {d for d in os.listdir(os.path.join(ROOT, "include", "alloyml"))
               if os.path.isdir(os.path.join(ROOT, "include", "alloyml", d))}
    for layer in sorted(present - set(table)):
        breaks.append(f"include/alloyml/{layer}/: a layer without a row in {DOC}")
    for rel in list(files("include/alloyml")) + list(files("src")) + list(files("apps")):
        parts = rel.split("/")
        if parts[0] == "apps":
            layer, inner = "apps", "/".join(parts[1:])
        elif parts[0] == "include":
            layer, inner = parts[2], "/".join(parts[3:])
        else:
            layer, inner = parts[1], "/".join(parts[2:])
        if layer not in table:
            continue
        layers, headers = table[layer]
        with open(os.path.join(ROOT, rel), encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target, header = m.group(1), m.group(2)
                where = f"{rel}:{number}: includes alloyml/{target}/{header}"
                if target != layer:
                    if target not in layers and f"{target}/{header}" not in headers:
                        allowed = ", ".join(sorted(layers | headers)) or "nothing of alloyml"
                        breaks.append(f"{where}, but {layer}/ may include {allowed}")
                    continue
                if layer != "tasks":
                    continue
                own, theirs = task_folder(inner), task_folder(header)
                if theirs is None or theirs == own or rel == COMPOSITION_ROOT:
                    continue
                if own is None:
                    breaks.append(f"{where}: the shared part of tasks/ names no task (only {COMPOSITION_ROOT} does)")
                else:
                    breaks.append(f"{where}: the task {own} includes the task {theirs}")
    for b in breaks:
        print(b)
    print(f"layers: {len(breaks)} include(s) break the table in {os.path.relpath(DOC, ROOT)}" if breaks
          else f"layers: every include keeps to the table in {os.path.relpath(DOC, ROOT)}")
    return 1 if breaks else 0


if __name__ == "__main__":
    sys.exit(main())
