#!/usr/bin/env bash
# Install tmux for the terminal report's test in a real terminal (tests/test_terminal_tmux.py),
# unless it is already on PATH. Idempotent; needs root (or sudo) and apt.
set -euo pipefail

if command -v tmux >/dev/null 2>&1; then
  echo "install-tmux: tmux already installed ($(command -v tmux))" >&2
  exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-tmux: no apt-get here; install tmux yourself (the terminal test is skipped" \
       "without it, and fails when CI is set)" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-tmux: need root (or sudo) to apt-get install tmux" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq tmux >/dev/null
echo "install-tmux: installed $(command -v tmux)" >&2
