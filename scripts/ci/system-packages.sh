#!/usr/bin/env bash
# Debian packages the tests need: Chromium for the browser test (examples/browser; a font so its
# screenshots show text), Mesa (llvmpipe) for WebGPU in Node through Dawn's OpenGL ES backend.
# dataset-fashion-mnist: the official Fashion-MNIST files (/usr/share/datasets/fashion-mnist).
# python3-torch: make-fixtures regenerates reference cases with the official code; torch.load reads our .pth;
# python3-pil: its center-crop case runs the official util/crop.py (PIL resizes).
# Installed only when missing; needs root (CI runs as root).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
for pkg in fonts-dejavu-core libegl1 libgles2 libegl-mesa0 libgl1-mesa-dri dataset-fashion-mnist python3-torch python3-numpy python3-pil; do dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg"); done
if [ ${#need[@]} -eq 0 ]; then echo "system packages present"; exit 0; fi
if [ "$(id -u)" != 0 ]; then echo "missing Debian packages: ${need[*]} (run as root or install them)"; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}"
