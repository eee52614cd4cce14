#!/usr/bin/env python3
"""Combines the alternating rounds of train-before-after.sh into one JSON: per unpool mode, each round's
median train-step and forward times of both sides and their ratio (after / before), and the median ratio."""
import argparse
import json
import os
import platform
import statistics


def rows(path):
    with open(path) as f:
        data = json.load(f)
    return {r["unpool"]: r for r in data["rows"]}, data


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("rounds", type=int)
    ap.add_argument("--out", required=True)
    ap.add_argument("--before", required=True)
    ap.add_argument("--after", required=True)
    ap.add_argument("--command", required=True)
    a = ap.parse_args()
    modes = {}
    meta = None
    for r in range(1, a.rounds + 1):
        before, _ = rows(os.path.join(a.dir, f"before-r{r}.json"))
        after, data = rows(os.path.join(a.dir, f"after-r{r}.json"))
        meta = meta or {k: v for k, v in data.items() if k != "rows"}
        for mode, row in after.items():
            m = modes.setdefault(mode, {"rounds": []})
            b = before[mode]
            m["rounds"].append({
                "round": r,
                "beforeTrainStepMs": b["trainStepMs"],
                "afterTrainStepMs": row["trainStepMs"],
                "trainRatio": row["trainStepMs"] / b["trainStepMs"],
                "beforeForwardMs": b["forwardMs"],
                "afterForwardMs": row["forwardMs"],
                "forwardRatio": row["forwardMs"] / b["forwardMs"],
                "beforeTrainSamplesMs": b["trainSamplesMs"],
                "afterTrainSamplesMs": row["trainSamplesMs"],
            })
    for m in modes.values():
        m["medianTrainRatio"] = statistics.median(x["trainRatio"] for x in m["rounds"])
        m["medianForwardRatio"] = statistics.median(x["forwardRatio"] for x in m["rounds"])
    out = {
        "kind": "train-before-after",
        "note": "after / before < 1 means the after commit is faster. Each round runs `pnpm bench train` on both "
                "checkouts back to back (order alternating), so both sides see the same machine state; trainStepMs "
                "is the median over the round's timed steps (forward, backward, optimizer update).",
        "command": a.command,
        "before": a.before,
        "after": a.after,
        "machine": platform.machine(),
        "benchMeta": meta,
        "modes": modes,
    }
    tmp = a.out + ".tmp"
    os.makedirs(os.path.dirname(a.out) or ".", exist_ok=True)
    with open(tmp, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    os.replace(tmp, a.out)
    for mode, m in modes.items():
        per_round = ", ".join("%.3f" % x["trainRatio"] for x in m["rounds"])
        print("%s: train after/before median %.3f (rounds %s); forward %.3f" % (mode, m["medianTrainRatio"], per_round, m["medianForwardRatio"]))


if __name__ == "__main__":
    main()
