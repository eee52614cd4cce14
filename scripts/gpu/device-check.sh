#!/usr/bin/env bash
# One pass over the GPU path on a bare GPU machine, with the bundle from `pnpm exp bundle --out dist-gpu/`:
#
#   source .device/setup.sh && bash scripts/gpu/device-check.sh        (run from the repository root)
#
# Steps, each under its own time limit inside one overall budget, results written to $OUT as they come:
#   1. the GPU (nvidia-smi -L, Vulkan loader/ICD) and the WebGPU adapter Dawn gives, plus the split-K
#      Conv2DBackpropFilter checked and timed against tfjs-webgpu's stock kernel (probe.json);
#   2. bench train on ONNX Runtime's WebGPU EP (--engine onnxruntime --ep webgpu), SegNet-mini (bench-mini.json);
#   3. the same, SegNet-VGG16, switch and ratio (bench-vgg16.json);
#   4. exp run ablation --preset $GPU_CHECK_PRESET --only switch,ratio --seeds 0 --no-onnx on the same engine,
#      then exp report (results.tar.gz: each run's config/result/metrics with the EP placement, the report);
#   5. if time is left, the A/B: bench train VGG16/switch on the tfjs WebGPU engine (bench-vgg16-tfjs.json).
# $OUT gets at most 7 files: summary.json, log.txt and the five above.
#
# Environment:
#   OUT                 output folder (required)
#   GPU_CHECK_TINY=1    tiny shapes, batch 1, SegNet-mini only (GPU_CHECK_TINY_MODEL=vgg16 for VGG16) and the smoke
#                       preset, on llvmpipe: tests this script on a machine without a GPU
#   GPU_CHECK_BUDGET_S  seconds for the whole script (default 420: the device call allows ~8 min with set-up)
#   GPU_CHECK_PRESET    ablation preset for step 4 (default gpu-short; smoke when the bundle lacks it)
#   GPU_CHECK_BUNDLE    the bundle folder (default dist-gpu)
#   UNPOOL_WEBGPU_ADAPTER  default vulkan (a GPU run must not fall back to llvmpipe), llvmpipe when tiny
set -uo pipefail

: "${OUT:?set OUT to the folder for the results}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT" || exit 1
TINY=${GPU_CHECK_TINY:-0}
BUDGET=${GPU_CHECK_BUDGET_S:-420}
PRESET=${GPU_CHECK_PRESET:-gpu-short}
BUNDLE=${GPU_CHECK_BUNDLE:-dist-gpu}
if [ "$TINY" = 1 ]; then
  export UNPOOL_WEBGPU_ADAPTER=${UNPOOL_WEBGPU_ADAPTER:-llvmpipe}
  PRESET=${GPU_CHECK_PRESET:-smoke}
else
  export UNPOOL_WEBGPU_ADAPTER=${UNPOOL_WEBGPU_ADAPTER:-vulkan}
fi
export EGL_PLATFORM=${EGL_PLATFORM:-surfaceless}

mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/gpu-check.XXXXXX)
LOG="$OUT/log.txt"
STEPS="$WORK/steps.tsv"
: >"$LOG"
: >"$STEPS"
T0=$SECONDS

# Committed results carry no machine paths: the scratch folder is written $WORK, the output folder $OUT
# (relative spellings such as ../../tmp/gpu-check.x included).
scrub() { sed -E -e "s#(\.\./)+${WORK#/}#\$WORK#g" -e "s#${WORK}#\$WORK#g" -e "s#${OUT}#\$OUT#g"; }
log() { printf '[%4ds] %s\n' $((SECONDS - T0)) "$*" | scrub | tee -a "$LOG"; }
left() { echo $((BUDGET - (SECONDS - T0))); }

# summary.json from the step table and the JSON files written so far (node is on PATH after setup.sh).
summarize() {
  STEPS="$STEPS" OUT="$OUT" TINY="$TINY" PRESET="$PRESET" node -e '
    const fs = require("fs"), path = require("path");
    const read = (f) => { try { return JSON.parse(fs.readFileSync(path.join(process.env.OUT, f), "utf8")); } catch { return null; } };
    const steps = fs.readFileSync(process.env.STEPS, "utf8").trim().split("\n").filter(Boolean).map((l) => {
      const [step, status, seconds, note] = l.split("\t");
      return { step, status, seconds: Number(seconds), note };
    });
    const train = (f) => read(f)?.rows?.map((r) => ({ model: r.model, unpool: r.unpool, engine: r.engine, ep: r.placement?.executionProvider ?? null, adapter: r.placement?.adapter ?? null, hostBytesPerStep: r.placement?.hostBytesPerStep ?? null, batch: r.batch, trainStepMs: r.trainStepMs, forwardMs: r.forwardMs, peakMiB: r.peakBytes / 2 ** 20, topKernels: r.profile?.topKernels?.slice(0, 5) }));
    const probe = read("probe.json");
    const summary = {
      tiny: process.env.TINY === "1", preset: process.env.PRESET, steps,
      adapter: probe?.webgpu ?? null,
      weightGradient: probe?.rows?.map((r) => ({ layer: r.layer, stockMs: r.stockMs, splitKMs: r.fastMs, speedup: r.speedup, relativeError: r.relativeError })) ?? null,
      benchMini: train("bench-mini.json"), benchVgg16: train("bench-vgg16.json"), benchVgg16Tfjs: train("bench-vgg16-tfjs.json"),
    };
    const tmp = path.join(process.env.OUT, ".summary.json.tmp");
    fs.writeFileSync(tmp, JSON.stringify(summary, null, 2) + "\n");
    fs.renameSync(tmp, path.join(process.env.OUT, "summary.json"));
  ' 2>>"$LOG" || log "summary.json: could not be written"
}

# step <name> <max seconds> <command...>: runs under min(max, time left - reserve), logs, records status.
RESERVE=20
step() {
  local name=$1 cap=$2
  shift 2
  local t=$(($(left) - RESERVE))
  [ "$t" -gt "$cap" ] && t=$cap
  if [ "$t" -lt 10 ]; then
    log "== $name: skipped, out of time"
    printf '%s\tskipped\t0\tout of time\n' "$name" >>"$STEPS"
    summarize
    return 124
  fi
  log "== $name (limit ${t}s): $*"
  local s=$SECONDS
  timeout --kill-after=5 "$t" "$@" 2>&1 | scrub >>"$LOG"
  local rc=${PIPESTATUS[0]}
  local status=ok
  [ "$rc" -ne 0 ] && status="failed rc=$rc"
  [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ] && status="timed out after ${t}s"
  log "== $name: $status in $((SECONDS - s))s"
  printf '%s\t%s\t%s\t%s\n' "$name" "$status" $((SECONDS - s)) "$*" | scrub >>"$STEPS"
  summarize
  return $rc
}

pack_results() {
  local dir="$WORK/results"
  rm -rf "$dir"
  mkdir -p "$dir/runs"
  if [ -d "$WORK/runs" ]; then
    (cd "$WORK/runs" && find . \( -name config.json -o -name result.json -o -name metrics.jsonl \) -print0 |
      xargs -0 -r cp --parents -t "$dir/runs")
  fi
  [ -d "$WORK/report" ] && cp -r "$WORK/report" "$dir/report"
  tar -czf "$WORK/results.tar.gz" -C "$dir" . && mv "$WORK/results.tar.gz" "$OUT/results.tar.gz"
}

CLI=(node "$BUNDLE/cli.mjs")
log "gpu check: tiny=$TINY budget=${BUDGET}s preset=$PRESET adapter=$UNPOOL_WEBGPU_ADAPTER bundle=$BUNDLE node=$(node --version 2>&1)"

# 0. What the machine has, before any WebGPU: the GPU, the Vulkan loader, the NVIDIA ICD.
{
  echo "--- nvidia-smi -L"
  if command -v nvidia-smi >/dev/null; then nvidia-smi -L; else echo "(no nvidia-smi)"; fi
  echo "--- /proc/driver/nvidia/version"
  cat /proc/driver/nvidia/version 2>/dev/null || echo "(none)"
  echo "--- Vulkan loader and ICDs (VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset})"
  (ldconfig -p 2>/dev/null | grep -E 'libvulkan|libEGL|libGLESv2|libnvidia-glcore' | head -20) || true
  ls -l /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/share/vulkan/icd.d 2>/dev/null || true
  echo "--- bundle"
  ls -l "$BUNDLE" 2>&1 | head -30
} >>"$LOG" 2>&1

if [ ! -f "$BUNDLE/cli.mjs" ]; then
  log "no $BUNDLE/cli.mjs: build it first with pnpm exp bundle --out $BUNDLE/ and carry it"
  printf 'bundle\tfailed\t0\tno %s/cli.mjs\n' "$BUNDLE" >>"$STEPS"
  summarize
  exit 1
fi
# The bundle carries compiled copies of experiments/*.ts: a stale one would run an old definition.
BUNDLE="$BUNDLE" node -e '
  const fs = require("fs"), crypto = require("crypto");
  const m = JSON.parse(fs.readFileSync(process.env.BUNDLE + "/bundle.json", "utf8"));
  for (const [name, e] of Object.entries(m.experiments)) {
    const f = "experiments/" + name + ".ts";
    if (!fs.existsSync(f)) continue;
    const h = crypto.createHash("sha256").update(fs.readFileSync(f)).digest("hex");
    console.log(h === e.sha256 ? `bundle: ${f} matches the bundled copy` : `bundle: WARNING ${f} differs from the copy in the bundle (built ${m.builtAt}); rebuild with pnpm exp bundle`);
  }' 2>&1 | tee -a "$LOG"

# 1. Adapter + split-K kernel check and A/B.
if [ "$TINY" = 1 ]; then SHAPES=small; else SHAPES=vgg16; fi
if ! step probe 90 "${CLI[@]}" probe --shapes "$SHAPES" --reps 3 --out "$OUT/probe.json"; then
  if [ ! -s "$OUT/probe.json" ]; then
    log "no WebGPU adapter: the remaining steps need one; stopping (see the Vulkan section at the top of log.txt)"
    rm -rf "$WORK"
    exit 1
  fi
fi

# 2-3. Training-step benchmarks on ORT's WebGPU EP (the tfjs WebGPU engine is the A/B of step 5).
ORT=(--engine onnxruntime --ep webgpu)
if [ "$TINY" = 1 ]; then
  SMALL=(--batch 1 --reps 1 --warmup 0)
  step bench-mini 240 "${CLI[@]}" bench train "${ORT[@]}" --model mini --unpool switch "${SMALL[@]}" --out "$OUT/bench-mini.json"
  # VGG16 even at batch 1 takes minutes on lavapipe: mini unless asked (GPU_CHECK_TINY_MODEL=vgg16).
  step bench-vgg16 300 "${CLI[@]}" bench train "${ORT[@]}" --model "${GPU_CHECK_TINY_MODEL:-mini}" --unpool switch "${SMALL[@]}" \
    --out "$OUT/bench-vgg16.json"
else
  step bench-mini 90 "${CLI[@]}" bench train "${ORT[@]}" --model mini --out "$OUT/bench-mini.json"
  step bench-vgg16 150 "${CLI[@]}" bench train "${ORT[@]}" --model vgg16 --unpool switch,ratio --out "$OUT/bench-vgg16.json"
fi

# 4. The experiment on the same engine, then its report.
run_experiment() {
  step "exp-run-$1" "$2" "${CLI[@]}" run ablation --preset "$1" "${ORT[@]}" --jobs 1 --only switch,ratio --seeds 0 \
    --no-onnx --no-report --out "$WORK/runs"
}
run_experiment "$PRESET" 240
if [ $? -ne 0 ] && grep -q "has no preset '$PRESET'" "$LOG"; then
  log "the bundled ablation has no preset '$PRESET': running 'smoke' instead (checks the path, measures little)"
  PRESET=smoke
  run_experiment smoke 120
fi
pack_results
step exp-report 60 "${CLI[@]}" report ablation --preset "$PRESET" --runs "$WORK/runs" --out "$WORK/report"
pack_results
summarize

# 5. The A/B: the tfjs WebGPU engine's VGG16 step (Dawn of the webgpu package, our split-K kernel), if time is left.
if [ "$TINY" = 1 ]; then
  step bench-vgg16-tfjs 120 "${CLI[@]}" bench train --backend webgpu --engine tfjs --model mini --unpool switch \
    "${SMALL[@]}" --out "$OUT/bench-vgg16-tfjs.json"
else
  step bench-vgg16-tfjs 90 "${CLI[@]}" bench train --backend webgpu --engine tfjs --model vgg16 --unpool switch \
    --reps 3 --warmup 1 --out "$OUT/bench-vgg16-tfjs.json"
fi

log "gpu check done in $((SECONDS - T0))s; files in $OUT: $(ls "$OUT" | tr '\n' ' ')"
rm -rf "$WORK"
