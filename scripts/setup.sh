#!/usr/bin/env bash
# Set up .venv with fidelity and its test tools, then (unless --no-demo) check the seed case.
# Idempotent: a second run only verifies. Works offline where the packages are on PyPI's
# mirror or on disk.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
demo=1
[ "${1:-}" = "--no-demo" ] && demo=0

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
pip=(.venv/bin/python -m pip install --quiet --disable-pip-version-check)

# sentence-transformers needs torch; a bare "torch" requirement pulls a multi-GB CUDA build,
# so install the CPU build first where it is available and only then the optional extra.
# serve: `fidelity serve` (FastAPI, uvicorn), tested over a socket in tests/test_serve.py.
extras="dev,serve"
if .venv/bin/python -c "import torch" 2>/dev/null || "${pip[@]}" "torch==2.13.0"; then
  extras="dev,serve,st"
else
  echo "setup: torch==2.13.0 (CPU) is not available here; skipping the sentence-transformers" \
       "extra (the bundled encoders work without it)" >&2
fi
"${pip[@]}" -e ".[${extras}]"
echo "setup: ready (.venv, extras: ${extras})" >&2

if [ "$demo" = 1 ]; then
  status=0
  .venv/bin/fidelity check corpora/01_seed_naryshkin/original.en.txt \
    corpora/01_seed_naryshkin/version.en.txt || status=$?
  # 1 means drift was found, which the seed case is there to show.
  [ "$status" -le 1 ] || exit "$status"
fi
