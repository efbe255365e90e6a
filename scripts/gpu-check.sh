#!/usr/bin/env bash
# The GPU check, for a machine with an NVIDIA GPU and its Vulkan driver (not run in CI):
#   1. the reference fixtures on WebGPU through Dawn's Vulkan backend (check-fixtures --backend webgpu);
#   2. the JiT-B/16 sampling benchmark on WebGPU (npm run bench -- sample).
# Prints one JSON object: the device, the fixtures' outcome, the benchmark's figures. Installs
# nothing and downloads nothing: run `npm ci` first. Exits 1 if a fixture case fails.
#
#   bash scripts/gpu-check.sh                      # Dawn on Vulkan, 50-step JiT-B/16 ×1
#   PIXELREPA_GPU_CHECK_STEPS=10 bash scripts/gpu-check.sh
#
# Environment: PIXELREPA_DAWN_BACKEND (default vulkan; opengles is Mesa's path on machines without
# a GPU), PIXELREPA_GPU_CHECK_PRESET (default JiT-B/16), PIXELREPA_GPU_CHECK_BATCH (default 1),
# PIXELREPA_GPU_CHECK_STEPS (default 50), PIXELREPA_GPU_CHECK_ANY_DEVICE=1 to run without nvidia-smi,
# PIXELREPA_FIXTURES (default: shared/fixtures beside the repository).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "gpu-check: $*" >&2; exit 2; }

export PIXELREPA_DAWN_BACKEND="${PIXELREPA_DAWN_BACKEND:-vulkan}"
preset="${PIXELREPA_GPU_CHECK_PRESET:-JiT-B/16}"
batch="${PIXELREPA_GPU_CHECK_BATCH:-1}"
steps="${PIXELREPA_GPU_CHECK_STEPS:-50}"

[ -d node_modules/webgpu ] || fail "node_modules/webgpu is missing: run \`npm ci\` first (this script installs nothing)"

# The device, as the driver reports it.
if command -v nvidia-smi >/dev/null 2>&1; then
  gpu="$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -n 1)"
elif [ "${PIXELREPA_GPU_CHECK_ANY_DEVICE:-}" = 1 ]; then
  gpu="no nvidia-smi (PIXELREPA_GPU_CHECK_ANY_DEVICE=1)"
else
  fail "nvidia-smi not found: this check is for a machine with an NVIDIA GPU and driver (PIXELREPA_GPU_CHECK_ANY_DEVICE=1 runs it anyway)"
fi
if [ "$PIXELREPA_DAWN_BACKEND" = vulkan ]; then
  ldconfig -p 2>/dev/null | grep -q 'libvulkan\.so\.1' \
    || fail "libvulkan.so.1 not found: Dawn's Vulkan backend needs the Vulkan loader (Debian/Ubuntu: libvulkan1) and the NVIDIA driver's Vulkan ICD (nvidia_icd.json, part of the driver; Debian: nvidia-vulkan-icd)"
fi
vulkan=""
if command -v vulkaninfo >/dev/null 2>&1; then
  vulkan="$(vulkaninfo --summary 2>/dev/null | grep -m 3 -E 'deviceName|driverInfo|apiVersion' | sed 's/^[[:space:]]*//' | paste -sd ';' - || true)"
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "gpu-check: check-fixtures --backend webgpu (Dawn $PIXELREPA_DAWN_BACKEND)…" >&2
fixtures_status=0
npm run --silent check-fixtures -- --backend webgpu --json >"$work/fixtures.json" 2>"$work/fixtures.log" || fixtures_status=$?
if [ ! -s "$work/fixtures.json" ]; then
  cat "$work/fixtures.log" >&2
  fail "check-fixtures printed no result (exit $fixtures_status); its log is above"
fi

echo "gpu-check: npm run bench -- sample --backend webgpu --preset $preset --batch $batch --steps $steps…" >&2
bench_status=0
npm run --silent bench -- sample --backend webgpu --preset "$preset" --batch "$batch" --steps "$steps" >"$work/bench.json" 2>"$work/bench.log" || bench_status=$?
[ -s "$work/bench.json" ] || { tail -n 20 "$work/bench.log" >&2; echo '{"error":"the benchmark printed no result; see the log above"}' >"$work/bench.json"; }

GPU="$gpu" VULKAN="$vulkan" WORK="$work" BENCH_STATUS="$bench_status" node --input-type=module -e '
import { readFileSync } from "node:fs";
// The last JSON object of each output: GPU drivers may print their own lines before it.
const read = (name) => {
  const text = readFileSync(`${process.env.WORK}/${name}`, "utf8");
  return JSON.parse(text.slice(text.lastIndexOf("\n{\n") + 1));
};
const fixtures = read("fixtures.json");
const sample = read("bench.json");
console.log(JSON.stringify({
  device: { gpu: process.env.GPU, vulkan: process.env.VULKAN || undefined, dawnBackend: process.env.PIXELREPA_DAWN_BACKEND, adapter: fixtures.backend?.adapter },
  fixtures: { passed: fixtures.passed, failed: fixtures.failed, skipped: fixtures.skipped, cases: fixtures.cases },
  sample: { exitStatus: Number(process.env.BENCH_STATUS), ...sample },
}, null, 2));
'
[ "$fixtures_status" = 0 ] || { echo "gpu-check: fixture cases failed on WebGPU (see fixtures.cases[].status)" >&2; exit 1; }
