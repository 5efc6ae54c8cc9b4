#!/usr/bin/env bash
# Run the test suite in .venv, setting it up first if needed (a clean clone needs nothing else).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-demo
# The HTML report is tested in a real browser (Debian chromium; skipped locally without one).
bash scripts/install-test-tool.sh chromium \
  chromium chromium-headless-shell chromium-browser google-chrome || [ -z "${CI:-}" ]
# The terminal report is tested in a real terminal (tmux; skipped locally without it).
bash scripts/install-test-tool.sh tmux tmux || [ -z "${CI:-}" ]
.venv/bin/ruff check src tests bench
exec .venv/bin/python -m pytest "$@"
