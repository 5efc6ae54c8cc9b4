#!/usr/bin/env bash
# Install Debian's chromium for the HTML report's browser test (tests/test_html_browser.py),
# unless a Chromium is already on PATH. Idempotent; needs root (or sudo) and apt.
# Playwright's own browser download does not work offline; Debian's package does.
set -euo pipefail

for name in chromium chromium-headless-shell chromium-browser google-chrome; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "install-browser: $name already installed ($(command -v "$name"))" >&2
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-browser: no apt-get here; install Chromium yourself (the browser test is" \
       "skipped without it, and fails when CI is set)" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-browser: need root (or sudo) to apt-get install chromium" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq chromium >/dev/null
echo "install-browser: installed $(command -v chromium)" >&2
