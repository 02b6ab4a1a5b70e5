#!/usr/bin/env python3
"""Checks a package plan against the code as it is compiled now.

Reads class-level dependencies with jdeps (-verbose:class) over the given classes directories,
optionally moves each class to a planned package (--mapping FILE: lines "old.Class<TAB>new.package",
"old.package.*<TAB>new.package", "drop<TAB>A -> B"; classes not listed keep theirs), then reports:
  1. package cycles (Tarjan SCC) of the planned structure, with the class edges behind them;
  2. dependencies that point up the layer order (layers.txt);
  3. packages that belong to no layer (place them by the rules in docs/architecture.md).
Without --mapping it checks the code as it stands (ArchitectureTest checks the same with ArchUnit).

usage: python3 plan_check.py [--mapping FILE] [--layers FILE] CLASSES_DIR...
exit code: 0 when no cycle and no upward dependency, 1 otherwise.
"""
import argparse
import collections
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def jdeps_edges(dirs):
    jdk = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    out = subprocess.run([os.path.join(jdk, "bin", "jdeps"), "-verbose:class", "-filter:none",
                          "-e", r"dev\.ivr\..*", *dirs], capture_output=True, text=True, check=True).stdout
    edges = set()
    for line in out.splitlines():
        m = re.match(r"^\s+(\S+)\s+->\s+(\S+)\s", line)
        if m:
            a, b = (x.split("$")[0] for x in m.groups())
            if a != b and a.startswith("dev.ivr.") and b.startswith("dev.ivr."):
                edges.add((a, b))
    return edges


def pkg(cls):
    return cls.rsplit(".", 1)[0]


def load_mapping(path):
    classes, packages, drops = {}, {}, set()
    if not path or path == "/dev/null":
        return classes, packages, drops
    for raw in open(path):
        line = raw.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        a, b = line.split("\t", 1)
        if a == "drop":
            x, y = (s.strip() for s in b.split("->"))
            drops.add((x, y))
        elif a.endswith(".*"):
            packages[a[:-2]] = b.strip()
        else:
            classes[a] = b.strip()
    return classes, packages, drops


def load_layers(path):
    layers = []
    for raw in open(path):
        line = raw.strip()
        if line.startswith("LAYER "):
            name, pats = line[6:].split(":", 1)
            layers.append((name.strip(), pats.split()))
    return layers


def layer_of(package, layers):
    best, best_len = None, -1
    for i, (_, pats) in enumerate(layers):
        for p in pats:
            if p.endswith(".."):
                base = p[:-2]
                if (package == base or package.startswith(base + ".")) and len(base) > best_len:
                    best, best_len = i, len(base)
            elif p == package and len(p) + 1 > best_len:
                best, best_len = i, len(p) + 1
    return best


def tarjan(graph):
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]
    sys.setrecursionlimit(10000)

    def connect(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            out.append(sorted(scc))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    return out


def write_mermaid(path, layers, pkgs, graph):
    """One box per layer (top first) listing its packages; one arrow per pair of layers with a dependency."""
    by_layer = collections.defaultdict(list)
    for p in sorted(pkgs):
        i = layer_of(p, layers)
        if i is not None:
            by_layer[i].append(p.replace("dev.ivr.server.", "").replace("dev.ivr.", ""))
    lines = ["flowchart TB"]
    for i in range(len(layers) - 1, -1, -1):
        if by_layer[i]:
            lines.append(f'  L{i}["<b>{layers[i][0]}</b><br/>{"<br/>".join(by_layer[i])}"]')
    pairs = set()
    for p, qs in graph.items():
        for q in qs:
            lp, lq = layer_of(p, layers), layer_of(q, layers)
            if lp is not None and lq is not None and lp != lq:
                pairs.add((lp, lq))
    for lp, lq in sorted(pairs, reverse=True):
        lines.append(f"  L{lp} --> L{lq}")
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--mapping", default="/dev/null")
    ap.add_argument("--layers", default=os.path.join(HERE, "layers.txt"))
    ap.add_argument("--mermaid", help="also write the layers and their dependencies as a Mermaid flowchart")
    ap.add_argument("dirs", nargs="+")
    args = ap.parse_args()
    classes, packages, drops = load_mapping(args.mapping)
    layers = load_layers(args.layers)

    def target(cls):
        if cls in classes:
            return classes[cls]
        return packages.get(pkg(cls), pkg(cls))

    pkg_graph = collections.defaultdict(set)
    why = collections.defaultdict(set)
    all_pkgs = set()
    for a, b in jdeps_edges(args.dirs):
        if (a, b) in drops:
            continue
        ta, tb = target(a), target(b)
        if ta == "-" or tb == "-":
            continue
        all_pkgs.update((ta, tb))
        if ta != tb:
            pkg_graph[ta].add(tb)
            why[(ta, tb)].add(a.rsplit(".", 1)[1] + " -> " + b.rsplit(".", 1)[1])
    bad = 0
    cycles = [c for c in tarjan({p: pkg_graph.get(p, set()) for p in all_pkgs}) if len(c) > 1]
    print(f"planned packages: {len(all_pkgs)}, package edges: {sum(len(v) for v in pkg_graph.values())}, "
          f"cycles: {len(cycles)}")
    for c in cycles:
        bad += 1
        print("  cycle: " + ", ".join(c))
        for p in c:
            for q in sorted(pkg_graph[p] & set(c)):
                print(f"    {p} -> {q}: {'; '.join(sorted(why[(p, q)])[:4])}")
    unplaced = sorted(p for p in all_pkgs if layer_of(p, layers) is None)
    up = []
    for p in sorted(pkg_graph):
        lp = layer_of(p, layers)
        for q in sorted(pkg_graph[p]):
            lq = layer_of(q, layers)
            if lp is not None and lq is not None and lq > lp:
                up.append((p, layers[lp][0], q, layers[lq][0]))
    print(f"upward dependencies (against the layer order): {len(up)}")
    for p, lp, q, lq in up:
        bad += 1
        print(f"  {p} [{lp}] -> {q} [{lq}]: {'; '.join(sorted(why[(p, q)])[:4])}")
    print(f"packages in no layer: {len(unplaced)}" + ("" if not unplaced else ": " + ", ".join(unplaced)))
    print("layers (bottom first): " + " < ".join(n for n, _ in layers))
    if args.mermaid:
        write_mermaid(args.mermaid, layers, all_pkgs, pkg_graph)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
