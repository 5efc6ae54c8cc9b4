"""`fidelity check` on the seed case in a real terminal (tmux) at 80 and 120 columns.

The terminal decides the width, the colours and where a too-long line wraps, so this is the
test that the report fits: no line is wrapped by the terminal (tmux's joined capture has as
many lines as the plain one), the seed case's report stays well under a screen, highlights
are colours (escape sequences, not the brackets used in files), and the signature is cut
only at its separators.

Skipped when tmux is not installed (`scripts/install-test-tool.sh tmux tmux` installs it),
unless the CI environment variable is set, in which case a missing tmux is a failure.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

import fidelity

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "corpora" / "01_seed_naryshkin"
DONE = "__fidelity_exit"


def _tmux() -> str:
    found = shutil.which("tmux")
    if found:
        return found
    message = "tmux is not installed (install it with scripts/install-test-tool.sh tmux tmux)"
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(message + "; CI is set, so the terminal test must run")
    pytest.skip(message)


def _run_in_tmux(tmux: str, width: int, arguments: list[str], tmp: Path) -> tuple[str, str, str]:
    """The pane as shown (one row a line), joined (wrapped rows put back together) and with
    escape sequences, after the command finished."""
    socket = f"fidelity-test-{uuid.uuid4().hex[:8]}"
    source = Path(fidelity.__file__).resolve().parents[1]
    env = {
        "PYTHONPATH": str(source),
        "FIDELITY_CACHE_DIR": os.environ.get("FIDELITY_CACHE_DIR", str(tmp / "cache")),
        "HOME": os.environ.get("HOME", str(tmp)),
        "LANG": "C.UTF-8",
    }
    command = " ".join(
        [
            "env",
            *(shlex.quote(f"{k}={v}") for k, v in env.items()),
            shlex.quote(sys.executable),
            "-m",
            "fidelity.cli",
            *(shlex.quote(a) for a in arguments),
            f"; echo {DONE}=$?; sleep 600",
        ]
    )
    base = [tmux, "-L", socket, "-f", "/dev/null"]
    subprocess.run(
        [*base, "new-session", "-d", "-s", "t", "-x", str(width), "-y", "200", command],
        check=True,
        cwd=tmp,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    try:
        deadline = time.monotonic() + 180
        shown = ""
        while time.monotonic() < deadline:
            shown = _capture(base)
            if f"{DONE}=" in shown:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"fidelity did not finish in the terminal in 180 s:\n{shown}")
        return shown, _capture(base, "-J"), _capture(base, "-e")
    finally:
        subprocess.run([*base, "kill-server"], check=False, capture_output=True)


def _capture(base: list[str], *flags: str) -> str:
    result = subprocess.run(
        [*base, "capture-pane", "-p", "-t", "t", "-S", "-", "-E", "-", *flags],
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout


def _report_lines(pane: str) -> list[str]:
    lines = pane.rstrip("\n").splitlines()
    end = next(k for k, line in enumerate(lines) if line.startswith(f"{DONE}="))
    return lines[:end]


@pytest.mark.parametrize("width", [80, 120])
def test_seed_report_fits_the_terminal(width: int, tmp_path: Path) -> None:
    tmux = _tmux()
    arguments = [str(SEED / "original.en.txt"), str(SEED / "version.en.txt")]
    shown, joined, escaped = _run_in_tmux(tmux, width, ["check", *arguments], tmp_path)
    assert f"{DONE}=1" in shown, shown  # drift at or above major: exit 1
    lines = _report_lines(shown)
    assert len(_report_lines(joined)) == len(lines), "the terminal wrapped a line"
    # The version's block (from its rule to the line before the verdict) is well under a
    # screen; the signature below it grows with what it records, so it is not counted.
    rule = next(k for k, line in enumerate(lines) if line.startswith("─"))
    verdict = next(k for k, line in enumerate(lines) if line.startswith("FAIL: "))
    assert verdict - rule <= 40, "\n".join(lines)
    text = "\n".join(lines)
    assert "MAJOR modality · hedge “could” became certainty “will”" in text
    # How many minor findings the seed has moves with the checks; that they are counted,
    # not listed, is the point.
    assert re.search(r"\+ \d+ minor findings? not shown \(--show all\)", text), text
    assert "⟦" not in text, "a colour terminal highlights with colour, not brackets"
    assert "\x1b[" in escaped
    start = lines.index("signature")
    signature = [line.strip() for line in lines[start + 1 :]]
    assert "".join(signature).startswith("fidelity:")
    assert all(line.endswith(("|", ",")) for line in signature[:-1]), signature


def test_show_all_lists_the_minor_findings(tmp_path: Path) -> None:
    tmux = _tmux()
    arguments = [str(SEED / "original.en.txt"), str(SEED / "version.en.txt"), "--show", "all"]
    shown, joined, _escaped = _run_in_tmux(tmux, 80, ["check", *arguments], tmp_path)
    lines = _report_lines(shown)
    assert len(_report_lines(joined)) == len(lines)
    assert any(line.startswith("MINOR omission") for line in lines)
    assert not any("not shown" in line for line in lines)
