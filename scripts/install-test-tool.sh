#!/usr/bin/env bash
# Install a program that a test runs for real, unless one of its commands is already on PATH:
#   install-test-tool.sh PACKAGE COMMAND...
# e.g. Debian's chromium for the HTML report's browser test (tests/test_html_browser.py;
# Playwright's own browser download does not work offline, Debian's package does) and tmux
# for the terminal report's test in a real terminal (tests/test_terminal_tmux.py).
# Idempotent; needs root (or sudo) and apt. The tests are skipped without the program, and
# fail when CI is set.
set -euo pipefail

package=$1
shift
for name in "$@"; do
  if command -v "$name" >/dev/null 2>&1; then
    echo "install-test-tool: $name already installed ($(command -v "$name"))" >&2
    exit 0
  fi
done

if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-tool: no apt-get here; install $package yourself (the test that needs" \
       "it is skipped without it, and fails when CI is set)" >&2
  exit 1
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    sudo=(sudo)
  else
    echo "install-test-tool: need root (or sudo) to apt-get install $package" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "$package" >/dev/null
echo "install-test-tool: installed $(command -v "$1")" >&2
