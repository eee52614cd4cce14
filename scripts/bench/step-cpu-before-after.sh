#!/usr/bin/env bash
# CPU time (and wall time) per SegNet-mini training step of the onnxruntime engine in this checkout and in
# another (BEFORE), alternating process by process (packages/bench/scripts/step_cpu_time.ts, which BEFORE
# must hold too). CPU time is what a step costs whatever else the machine runs, so the comparison holds on
# a loaded machine where wall times swing by 5x. Env: BEFORE (required), ROUNDS (default 6), STEPS
# (default 10), THREADS (default 1), UNPOOL (default switch,ratio), OUT (default
# reports/ablation/bench/before-after/step-cpu-before-after.json).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${BEFORE:?set BEFORE to the other checkout}"
ROUNDS="${ROUNDS:-6}"
STEPS="${STEPS:-10}"
THREADS="${THREADS:-1}"
UNPOOL="${UNPOOL:-switch,ratio}"
OUT="${OUT:-reports/ablation/bench/before-after/step-cpu-before-after.json}"
here="$(pwd)"
lines="$(mktemp)"
for round in $(seq 1 "$ROUNDS"); do
  if (( round % 2 )); then order=(before after); else order=(after before); fi
  for mode in ${UNPOOL//,/ }; do
    for side in "${order[@]}"; do
      dir="$here"; [[ $side == before ]] && dir="$BEFORE"
      echo "== round $round/$ROUNDS: $mode, $side ==" >&2
      json="$(cd "$dir" && node_modules/.bin/tsx --conditions=@unpool/source packages/bench/scripts/step_cpu_time.ts "$mode" "$STEPS" "$THREADS")"
      echo "{\"round\":$round,\"side\":\"$side\",\"result\":$json}" >> "$lines"
    done
  done
done
commit() { (cd "$1" && git rev-parse HEAD 2>/dev/null) || cat "$1/.commit" 2>/dev/null || echo unknown; }
python3 - "$lines" "$OUT" "$(commit "$BEFORE")" "$(commit "$here")" "ROUNDS=$ROUNDS STEPS=$STEPS THREADS=$THREADS UNPOOL=$UNPOOL BEFORE=<checkout> bash scripts/bench/step-cpu-before-after.sh" <<'PY'
import json, os, statistics, sys
lines, out, before, after, command = sys.argv[1:]
rows = [json.loads(l) for l in open(lines)]
modes = {}
for r in rows:
    m = modes.setdefault(r["result"]["unpool"], {"before": {"cpuMs": [], "wallMs": []}, "after": {"cpuMs": [], "wallMs": []}, "rounds": []})
    m[r["side"]]["cpuMs"] += r["result"]["cpuMs"]
    m[r["side"]]["wallMs"] += r["result"]["wallMs"]
for name, m in modes.items():
    per_round = {}
    for r in rows:
        if r["result"]["unpool"] == name:
            per_round.setdefault(r["round"], {})[r["side"]] = statistics.median(r["result"]["cpuMs"])
    m["rounds"] = [{"round": k, "beforeCpuMs": v["before"], "afterCpuMs": v["after"], "cpuRatio": v["after"] / v["before"]} for k, v in sorted(per_round.items())]
    for side in ("before", "after"):
        m[side]["medianCpuMs"] = statistics.median(m[side]["cpuMs"])
        m[side]["medianWallMs"] = statistics.median(m[side]["wallMs"])
    m["medianCpuRatio"] = statistics.median(x["cpuRatio"] for x in m["rounds"])
    m["wallRatioOfMedians"] = m["after"]["medianWallMs"] / m["before"]["medianWallMs"]
result = {
    "kind": "step-cpu-before-after",
    "note": "onnxruntime engine, SegNet-mini batch 8 at 64x192, Adam: CPU ms (all threads of the process) and wall ms per "
            "training step after 3 warm-up steps; before = gradients from the ONNX graph + Adam in tfjs, after = the whole "
            "step in the graph. One process per side per round, order alternating. after/before < 1: after is cheaper.",
    "command": command, "before": before, "after": after, "modes": modes,
}
tmp = out + ".tmp"
os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
with open(tmp, "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
os.replace(tmp, out)
for name, m in modes.items():
    print("%s: CPU ms/step before %.1f after %.1f, median per-round ratio %.3f (%s); wall ms before %.0f after %.0f" % (
        name, m["before"]["medianCpuMs"], m["after"]["medianCpuMs"], m["medianCpuRatio"],
        ", ".join("%.3f" % x["cpuRatio"] for x in m["rounds"]), m["before"]["medianWallMs"], m["after"]["medianWallMs"]))
PY
