"""Memory and time budgets: each pathological input of the issue-11 probe, run through the
real command in a child process, ends in a one-line error (exit 2) or a result, within 30 s
and 1 GB, with no traceback.

The child's peak memory is its own (os.wait4 returns the rusage of that one child). Inputs
are built at the size that matters and no bigger: a zip just over the inflated-part limit is
written with streamed deflate, not gigabytes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src"
SECONDS = 30
MEGABYTES = 1024
MIB = 1024 * 1024
ORIGINAL = "The ministry said exports may fall by a third next year. Talks will resume in May.\n"
VERSION = (
    "Le ministère a déclaré que les exportations pourraient baisser d'un tiers l'an "
    "prochain. Les négociations reprendront en mai.\n"
)
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@dataclass(frozen=True)
class Run:
    code: int
    stderr: str
    seconds: float
    peak_mb: float


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> Run:
    """`fidelity ARGS` in a child process, with its own peak RSS and wall time; `stdin`
    names a file (a device) to give it as standard input."""
    environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        open(stdin or os.devnull, "rb") as given,
    ):
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "fidelity.cli", *args],
            stdin=given,
            stdout=out,
            stderr=err,
            env=environment,
        )
        killer = threading.Timer(SECONDS * 3, child.kill)
        killer.start()
        _, status, usage = os.wait4(child.pid, 0)
        killer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
    return Run(child.returncode, stderr, seconds, usage.ru_maxrss / 1024)


def assert_within_budget(run: Run, *, error: str | None = None) -> None:
    assert "Traceback" not in run.stderr, run.stderr
    assert run.seconds < SECONDS, f"{run.seconds:.1f} s"
    assert run.peak_mb < MEGABYTES, f"{run.peak_mb:.0f} MB"
    if error is None:
        assert run.code in (0, 1, 2), run
    else:
        assert run.code == 2, run
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        assert len(lines) == 1, run.stderr
        assert error in lines[0], lines[0]


@pytest.fixture
def original(tmp_path: Path) -> Path:
    path = tmp_path / "original.en.txt"
    path.write_text(ORIGINAL, encoding="utf-8")
    return path


@pytest.fixture
def version(tmp_path: Path) -> Path:
    path = tmp_path / "version.fr.txt"
    path.write_text(VERSION, encoding="utf-8")
    return path


def _no_break_line(path: Path, size: int) -> Path:
    words = "the ministry said on 12 March 2024 that 3.5 million tonnes of grain from Odesa"
    repeated = (words + " ") * (size // (len(words) + 1) + 1)
    path.write_text(repeated[:size] + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("megabytes", [1, 5])
def test_a_single_line_without_a_sentence_end(original, tmp_path, megabytes: int) -> None:
    line = _no_break_line(tmp_path / "line.txt", megabytes * 1_000_000)
    run = run_cli("check", str(original), str(line), "-f", "json")
    assert_within_budget(run, error="FIDELITY_MAX_CHARS")


def test_200000_tiny_sentences(original, tmp_path) -> None:
    many = tmp_path / "many.txt"
    many.write_text("It rained. " * 200_000, encoding="utf-8")
    run = run_cli("check", str(original), str(many), "-f", "json")
    assert_within_budget(run, error="FIDELITY_MAX_CHARS")
    # With the character limit raised, the segment count is what stops it.
    run = run_cli(
        "check", str(original), str(many), "-f", "json", env={"FIDELITY_MAX_CHARS": "10000000"}
    )
    assert_within_budget(run, error="more than 20,000 segments")


def _docx(path: Path, part: str, head: bytes, filler: bytes, tail: bytes, size: int) -> Path:
    body = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        if part != "word/document.xml":
            package.writestr(
                "word/document.xml",
                body + b"<w:p><w:r><w:t>Exports may fall.</w:t></w:r></w:p></w:body></w:document>",
            )
        with package.open(part, "w") as stream:
            stream.write(head)
            block = filler * (MIB // len(filler))
            written = len(head)
            while written <= size:
                stream.write(block)
                written += len(block)
            stream.write(tail)
    return path


def test_a_docx_whose_text_inflates_past_the_limit(original, tmp_path) -> None:
    body = f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode()
    bomb = _docx(
        tmp_path / "bomb.docx",
        "word/document.xml",
        body,
        b"<w:p><w:r><w:t>Exports may fall by a third.</w:t></w:r></w:p>",
        b"</w:body></w:document>",
        16 * MIB,
    )
    assert bomb.stat().st_size < MIB
    run = run_cli("check", str(original), str(bomb))
    assert_within_budget(run, error="FIDELITY_MAX_XML_BYTES")


def test_a_docx_with_huge_whitespace_relationships(original, tmp_path) -> None:
    rels = _docx(
        tmp_path / "rels.docx",
        "_rels/.rels",
        b'<?xml version="1.0"?>',
        b" \n\t" * 1024,
        b"<Relationships/>",
        16 * MIB,
    )
    run = run_cli("check", str(original), str(rels))
    assert_within_budget(run, error="_rels/.rels")


def test_a_huge_html_page(original, tmp_path) -> None:
    paragraph = "<p>The ministry said exports may fall by a third next year.</p>\n"
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><article>" + paragraph * (6_000_000 // len(paragraph)) + "</article>",
        encoding="utf-8",
    )
    run = run_cli("check", str(original), str(page))
    assert_within_budget(run, error="FIDELITY_MAX_HTML_CHARS")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_as_version_and_as_glossary(original, version, device: str) -> None:
    assert_within_budget(run_cli("check", str(original), device), error="FIDELITY_MAX_BYTES")
    run = run_cli("check", str(original), str(version), "--glossary", device)
    assert_within_budget(run, error="FIDELITY_MAX_GLOSSARY_BYTES")


def test_an_endless_standard_input(version) -> None:
    run = run_cli("check", "-", str(version), stdin="/dev/zero")
    assert_within_budget(run, error="FIDELITY_MAX_BYTES")


@pytest.fixture
def endless_fifo(tmp_path: Path) -> Iterator[Path]:
    """A named pipe fed by `yes` (a writer thread) until the reader goes away."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    stop = threading.Event()

    def feed() -> None:
        while not stop.is_set():
            try:
                with open(fifo, "wb") as pipe:
                    while not stop.is_set():
                        pipe.write(b"y\n" * 32768)
            except OSError:
                continue

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    yield fifo
    stop.set()
    # Unblock a writer waiting in open() for a reader that will not come.
    descriptor = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    os.close(descriptor)
    writer.join(timeout=5)


def test_an_endless_pipe_as_version_and_as_glossary(original, version, endless_fifo) -> None:
    assert_within_budget(
        run_cli("check", str(original), str(endless_fifo)), error="FIDELITY_MAX_BYTES"
    )
    run = run_cli("check", str(original), str(version), "--glossary", str(endless_fifo))
    assert_within_budget(run, error="FIDELITY_MAX_GLOSSARY_BYTES")


class _Drip(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            for _ in range(100_000):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.5)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_a_dripping_server_fails_within_the_deadline(original) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Drip)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/story"
        run = run_cli(
            "check", url, str(original), "--allow-network", env={"FIDELITY_FETCH_DEADLINE": "2"}
        )
    finally:
        server.shutdown()
    assert_within_budget(run, error="within 2 s")


def test_a_large_glossary_is_read_and_applied_in_linear_time(original, version, tmp_path):
    """Scaled down from the probe's 47 MB: 20,000 entries. Every term is looked for by a
    cheap substring test first, so the glossary costs a pass over its entries per pair."""
    glossary = tmp_path / "terms.csv"
    with glossary.open("w", encoding="utf-8") as out:
        out.write("en,fr\n")
        for k in range(20_000):
            out.write(f"term{k} word{k % 97},terme{k} mot{k % 89}\n")
        out.write("ministry,ministère\n")
    run = run_cli("check", str(original), str(version), "--glossary", str(glossary))
    assert_within_budget(run)
    assert run.code in (0, 1), run.stderr
    run = run_cli(
        "check", str(original), str(version), "--glossary", str(glossary),
        env={"FIDELITY_MAX_GLOSSARY_ENTRIES": "1000"},
    )
    assert_within_budget(run, error="more than 1,000 entries")


def test_an_explicit_rereport_of_two_long_documents_is_refused(monkeypatch) -> None:
    """Re-report alignment compares every pair of sentences (5,000 x 5,000 took 48 s and
    grows with the product); auto mode switches to translation beyond the cap, an explicit
    `--mode rereport` is refused with one line."""
    from fidelity import api
    from fidelity.errors import FidelityInputError

    monkeypatch.setattr(api, "FULL_MATRIX_CELLS", 4)
    with pytest.raises(FidelityInputError, match="too many for --mode rereport"):
        api.check(ORIGINAL + " Prices rose.", [VERSION + " Les prix ont monté."], mode="rereport")
    assert api.check(ORIGINAL + " Prices rose.", [VERSION + " Les prix ont monté."]).versions
