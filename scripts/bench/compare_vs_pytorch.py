#!/usr/bin/env python3
"""Ours vs PyTorch, per unpool mode: ratio = ours / torch, target <= 1.0 on train step AND forward.

usage: compare_vs_pytorch.py ours1.json:torch1.json [ours2.json:torch2.json ...] [--out vs-pytorch.json]
Each pair is one round measured back to back; the verdict uses the median over rounds of each side's
median, and every round's own ratio is kept, so one noisy round cannot decide it alone.
"""
import argparse
import json
import os
import sys

TARGET = 1.0


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


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def check_shapes(mode, ours_row, torch_doc):
    # A mismatched input size would make the ratio meaningless, so say so loudly.
    dims = [(k, ours_row.get(k), torch_doc.get(k)) for k in ("batch", "height", "width") if ours_row.get(k) is not None]
    diff = [f"{k} {x} vs {y}" for k, x, y in dims if x != y]
    if diff:
        print(f"WARNING {mode}: shapes differ (ours vs pytorch): {', '.join(diff)}", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pairs", nargs="+", help="ours.json:torch.json, one per round")
    ap.add_argument("--out")
    ap.add_argument("--target", type=float, default=TARGET)
    a = ap.parse_args()
    rounds = []
    for pair in a.pairs:
        if pair.count(":") != 1:
            sys.exit(f"compare_vs_pytorch: expected ours.json:torch.json, got '{pair}'")
        ours_path, torch_path = pair.split(":")
        ours_doc, torch_doc = load(ours_path), load(torch_path)
        ours = {r["unpool"]: r for r in train_rows(ours_doc, ours_path)}
        theirs = {r["unpool"]: r for r in train_rows(torch_doc, torch_path)}
        rounds.append((ours, theirs, torch_doc))
    modes = [m for m in rounds[0][0] if all(m in o and m in t for o, t, _ in rounds)]
    if not modes:
        sys.exit("compare_vs_pytorch: no unpool mode measured by both sides in every round")
    torch_doc = rounds[0][2]

    rows = []
    for m in modes:
        for o, _, t_doc in rounds:
            check_shapes(m, o[m], t_doc)
        per_round = [{"oursTrainMs": o[m]["trainStepMs"], "torchTrainMs": t[m]["trainStepMs"],
                      "trainRatio": o[m]["trainStepMs"] / t[m]["trainStepMs"],
                      "oursForwardMs": o[m]["forwardMs"], "torchForwardMs": t[m]["forwardMs"],
                      "forwardRatio": o[m]["forwardMs"] / t[m]["forwardMs"]} for o, t, _ in rounds]
        ours_train = median([r["oursTrainMs"] for r in per_round])
        torch_train = median([r["torchTrainMs"] for r in per_round])
        ours_fwd = median([r["oursForwardMs"] for r in per_round])
        torch_fwd = median([r["torchForwardMs"] for r in per_round])
        train_ratio, fwd_ratio = ours_train / torch_train, ours_fwd / torch_fwd
        rows.append({
            "unpool": m,
            "backend": rounds[0][0][m].get("backend"),
            "engine": rounds[0][0][m].get("engine"),
            "oursTrainMs": ours_train,
            "torchTrainMs": torch_train,
            "trainRatio": train_ratio,
            "oursForwardMs": ours_fwd,
            "torchForwardMs": torch_fwd,
            "forwardRatio": fwd_ratio,
            "meets": train_ratio <= a.target and fwd_ratio <= a.target,
            "rounds": per_round,
        })
    doc = {"rows": rows, "target": a.target, "rounds": len(rounds), "meets": {r["unpool"]: r["meets"] for r in rows},
           "torch": torch_doc.get("torch"), "torchThreads": torch_doc.get("threads"), "inputs": a.pairs}

    print(f"ours vs pytorch {doc['torch']} ({doc['torchThreads']} threads), median of {len(rounds)} round(s); "
          f"target: train and forward ratio <= {a.target}")
    head = (f"{'unpool':<8} {'engine':<12} {'ours train':>10} {'torch train':>11} {'ratio':>6} {'ours fwd':>8} "
            f"{'torch fwd':>9} {'ratio':>6}  meets  train ratio per round")
    print(head)
    print("-" * len(head))
    for r in rows:
        per = " ".join(f"{x['trainRatio']:.2f}" for x in r["rounds"])
        print(f"{r['unpool']:<8} {str(r['engine']):<12} {r['oursTrainMs']:>10.1f} {r['torchTrainMs']:>11.1f} {r['trainRatio']:>5.2f}x "
              f"{r['oursForwardMs']:>8.1f} {r['torchForwardMs']:>9.1f} {r['forwardRatio']:>5.2f}x  {'yes' if r['meets'] else 'NO ':<5}  {per}")
    if a.out:
        # temp file + rename: a reader never sees half a file
        tmp = f"{a.out}.{os.getpid()}.tmp"
        with open(tmp, "w") as f:
            json.dump(doc, f, indent=2)
        os.replace(tmp, a.out)
        print(f"wrote {a.out}")


if __name__ == "__main__":
    main()
