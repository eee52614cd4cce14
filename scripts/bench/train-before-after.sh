#!/usr/bin/env bash
# `pnpm bench train` of this checkout against another checkout of the repo (BEFORE, e.g. the previous
# commit unpacked with `git archive <commit> | tar -x -C /tmp/before` and `pnpm install`), alternating the two
# round by round so both see the same machine and load. Env: BEFORE (required), ENGINE (default
# onnxruntime), THREADS (default 1, as each job of the cpu preset), REPS (default 5), ROUNDS (default 4),
# UNPOOL (default switch,ratio), OUT (default reports/ablation/bench/before-after/train-before-after.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BEFORE:?set BEFORE to the other checkout}"
ENGINE="${ENGINE:-onnxruntime}"
THREADS="${THREADS:-1}"
REPS="${REPS:-5}"
ROUNDS="${ROUNDS:-4}"
UNPOOL="${UNPOOL:-switch,ratio}"
OUT="${OUT:-reports/ablation/bench/before-after/train-before-after.json}"
TMP="$(mktemp -d)"
here="$(pwd)"
args=(bench train --backend wasm --engine "$ENGINE" --threads "$THREADS" --model mini --unpool "$UNPOOL" --reps "$REPS")
for round in $(seq 1 "$ROUNDS"); do
  # Which side goes first alternates too, so neither always runs on a warmer (or busier) machine.
  if (( round % 2 )); then order=(before after); else order=(after before); fi
  for side in "${order[@]}"; do
    echo "== round $round/$ROUNDS: $side =="
    dir="$here"; [[ $side == before ]] && dir="$BEFORE"
    (cd "$dir" && pnpm "${args[@]}" --out "$TMP/$side-r$round.json")
  done
done
# A checkout unpacked with `git archive` has no .git: its commit may be written to .commit.
commit() { (cd "$1" && git rev-parse HEAD 2>/dev/null) || cat "$1/.commit" 2>/dev/null || echo unknown; }
python3 scripts/bench/compare_before_after.py "$TMP" "$ROUNDS" --out "$OUT" \
  --before "$(commit "$BEFORE")" --after "$(commit "$here")" --command "BEFORE=<checkout> ENGINE=$ENGINE THREADS=$THREADS REPS=$REPS ROUNDS=$ROUNDS UNPOOL=$UNPOOL bash scripts/bench/train-before-after.sh"
