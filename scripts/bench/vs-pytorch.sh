#!/usr/bin/env bash
# Our SegNet-mini train step vs a PyTorch replica, back to back on this machine, so both see the
# same CPU and load, with the same batch, input size and repetitions. Env: BACKEND (default wasm),
# ENGINE (default onnxruntime; tfjs for the pure TensorFlow.js step), REPS (default 10), OURS_ARGS /
# TORCH_ARGS (extra flags), ROUNDS (default 3), DIR (default reports/ablation/bench).
set -euo pipefail
cd "$(dirname "$0")/../.."

BACKEND="${BACKEND:-wasm}"
ENGINE="${ENGINE:-onnxruntime}"
REPS="${REPS:-10}"
DIR="${DIR:-reports/ablation/bench}"
# Debian's python3-torch lives in the system python; a pyenv python3 on PATH usually lacks it.
PY=/usr/bin/python3

if ! "$PY" -c 'import torch' 2>/dev/null; then
  echo "vs-pytorch: $PY cannot import torch; install it with: sudo apt-get install python3-torch" >&2
  exit 1
fi
mkdir -p "$DIR"

ROUNDS="${ROUNDS:-3}"
pairs=()
# Alternate the two sides round by round, so a slow phase of the machine hits both.
for round in $(seq 1 "$ROUNDS"); do
  ours="$DIR/vs-pytorch-ours-r$round.json"
  torch="$DIR/vs-pytorch-torch-r$round.json"
  echo "== round $round/$ROUNDS: ours ($BACKEND, engine $ENGINE) =="
  # OURS_ARGS / TORCH_ARGS are split on spaces on purpose: they hold several flags.
  # shellcheck disable=SC2086
  pnpm bench train --backend "$BACKEND" --engine "$ENGINE" --model mini --unpool switch,ratio --reps "$REPS" --out "$ours" ${OURS_ARGS:-}
  echo "== round $round/$ROUNDS: pytorch =="
  # shellcheck disable=SC2086
  "$PY" scripts/bench/torch_segnet.py --unpool switch,ratio --reps "$REPS" --out "$torch" ${TORCH_ARGS:-}
  pairs+=("$ours:$torch")
done

echo "== comparison =="
"$PY" scripts/bench/compare_vs_pytorch.py "${pairs[@]}" --out "$DIR/vs-pytorch.json"
