#!/usr/bin/env python3
"""Ours vs PyTorch, per unpool mode: ratio = ours / torch, target <= 1.5 on training step time.

usage: compare_vs_pytorch.py ours.json pytorch.json [--out vs-pytorch.json] [--target 1.5]
"""
import argparse
import json
import sys

TARGET = 1.5


def train_rows(doc, path):
    # `pnpm bench train` puts rows at top level; other wrappers nest them under "result", and
    # `pnpm bench all` lists benchmarks under "results".
    if isinstance(doc.get("rows"), list):
        return doc["rows"]
    if isinstance(doc.get("result"), dict) and isinstance(doc["result"].get("rows"), list):
        return doc["result"]["rows"]
    for r in doc.get("results") or []:
        if r.get("benchmark") == "train" and isinstance(r.get("rows"), list):
            return r["rows"]
    sys.exit(f"compare_vs_pytorch: no train rows in {path} (looked at rows, result.rows, results[train].rows)")


def load(path):
    with open(path) as f:
        return json.load(f)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("ours")
    ap.add_argument("pytorch")
    ap.add_argument("--out")
    ap.add_argument("--target", type=float, default=TARGET)
    a = ap.parse_args()
    ours_doc, torch_doc = load(a.ours), load(a.pytorch)
    ours = {r["unpool"]: r for r in train_rows(ours_doc, a.ours)}
    theirs = {r["unpool"]: r for r in train_rows(torch_doc, a.pytorch)}
    modes = [m for m in ours if m in theirs]
    if not modes:
        sys.exit(f"compare_vs_pytorch: no unpool mode in both files (ours: {sorted(ours)}, pytorch: {sorted(theirs)})")
    skipped = sorted(set(ours) ^ set(theirs))
    if skipped:
        print(f"note: unmatched unpool mode(s) left out: {', '.join(skipped)}", file=sys.stderr)

    # A mismatched input size would make the ratio meaningless, so say so loudly.
    for m in modes:
        o = ours[m]
        dims = [(k, o.get(k), torch_doc.get(k)) for k in ("batch", "height", "width") if o.get(k) is not None]
        diff = [f"{k} {x} vs {y}" for k, x, y in dims if x != y]
        if diff:
            print(f"WARNING {m}: shapes differ (ours vs pytorch): {', '.join(diff)}", file=sys.stderr)

    rows = []
    for m in modes:
        o, t = ours[m], theirs[m]
        train_ratio = o["trainStepMs"] / t["trainStepMs"]
        rows.append({
            "unpool": m,
            "backend": o.get("backend"),
            "oursTrainMs": o["trainStepMs"],
            "torchTrainMs": t["trainStepMs"],
            "trainRatio": train_ratio,
            "oursForwardMs": o["forwardMs"],
            "torchForwardMs": t["forwardMs"],
            "forwardRatio": o["forwardMs"] / t["forwardMs"],
            "meets": train_ratio <= a.target,
        })
    doc = {"rows": rows, "target": a.target, "meets": {r["unpool"]: r["meets"] for r in rows},
           "torch": torch_doc.get("torch"), "torchThreads": torch_doc.get("threads")}

    print(f"ours vs pytorch {doc['torch']} ({doc['torchThreads']} threads); target train ratio <= {a.target}")
    head = f"{'unpool':<8} {'backend':<12} {'ours train':>10} {'torch train':>11} {'ratio':>6} {'ours fwd':>8} {'torch fwd':>9} {'ratio':>6}  meets"
    print(head)
    print("-" * len(head))
    for r in rows:
        print(f"{r['unpool']:<8} {str(r['backend']):<12} {r['oursTrainMs']:>10.1f} {r['torchTrainMs']:>11.1f} {r['trainRatio']:>5.2f}x "
              f"{r['oursForwardMs']:>8.1f} {r['torchForwardMs']:>9.1f} {r['forwardRatio']:>5.2f}x  {'yes' if r['meets'] else 'NO'}")
    if a.out:
        with open(a.out, "w") as f:
            json.dump(doc, f, indent=2)
        print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
