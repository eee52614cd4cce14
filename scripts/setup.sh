#!/usr/bin/env bash
# One-time (idempotent) set-up of a fresh machine with Node 20 + npm: pnpm, the workspace's packages, and
# the Debian packages the browser, ONNX conformance and Slurm tests use (installed when running as root).
set -euo pipefail
cd "$(dirname "$0")/.."
PNPM_VERSION=10.34.9
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$PNPM_VERSION" ]; then
  echo "[setup] installing pnpm@$PNPM_VERSION"
  npm install -g "pnpm@$PNPM_VERSION" >/dev/null
fi
if [ "${1:-}" = "--test" ]; then
  need=()
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
  [ -d /usr/share/libonnx-testdata/data/node ] || need+=(libonnx-testdata)
  # The PyTorch replica of scripts/bench is held to our SegNet plan by a test (packages/bench).
  /usr/bin/python3 -c "import torch" >/dev/null 2>&1 || need+=(python3-torch)
  # The runtime's webgpu tests run Dawn on Mesa's llvmpipe through EGL/OpenGL ES when there is no GPU.
  dpkg -s libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri >/dev/null 2>&1 || need+=(libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri)
  # exp slurm is tested against a real one-node Slurm cluster (packages/cli/test/slurm_cluster.test.ts).
  for pkg in slurmctld slurmd slurm-client munge; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
  done
  if ((${#need[@]})); then
    if [ "$(id -u)" = 0 ]; then
      echo "[setup] apt-get install ${need[*]}"
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
    else
      echo "[setup] the tests need Debian packages: sudo apt-get install ${need[*]}" >&2
      exit 1
    fi
  fi
  # ONNX Runtime's WebGPU EP tests (packages/onnx/test/webgpu_ep.test.ts) need a Vulkan device; without a
  # GPU that is Mesa's lavapipe, which Dawn accepts from Mesa 25 on (bookworm's 22.3 lacks a required
  # feature): mesa-vulkan-drivers and libvulkan1 from Debian's bookworm-backports.
  mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
  if ! dpkg -s libvulkan1 >/dev/null 2>&1 || [ "${mesa%%.*}" = "" ] || [ "${mesa%%.*}" -lt 25 ]; then
    if [ "$(id -u)" = 0 ] && grep -q bookworm /etc/os-release; then
      echo "[setup] apt-get install -t bookworm-backports mesa-vulkan-drivers libvulkan1 (Mesa ${mesa:-none} -> 25)"
      echo "deb http://deb.debian.org/debian bookworm-backports main" >/etc/apt/sources.list.d/bookworm-backports.list
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
    else
      echo "[setup] the WebGPU EP tests need Mesa >= 25 lavapipe (mesa-vulkan-drivers, found ${mesa:-none}) and libvulkan1" >&2
      exit 1
    fi
  fi
fi
export TURBO_TELEMETRY_DISABLED=1
pnpm install --frozen-lockfile
