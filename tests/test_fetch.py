"""Documents given as URLs, against a server on this machine's loopback address only."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from typer.testing import CliRunner

from fidelity.cli import app

runner = CliRunner()
PAGE = """<html><head><title>Fire near Landiras</title></head><body><nav>Home | World</nav>
<article><h1>Fire near Landiras</h1><p>The fire has burned 2,400 hectares since Monday,
the prefecture said.</p><p>Three hundred firefighters are on site and more may be sent if
the wind rises overnight.</p></article><footer>Contact us</footer></body></html>"""


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/story":
            body = PAGE.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path == "/drip-body":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", "1000")
            self.end_headers()
            self._drip(b"x" * 1000)
        elif self.path == "/drip-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._drip(b"X-Slow: " + b"y" * 1000)
        elif self.path == "/elsewhere":
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}/story")
            self.end_headers()
        elif self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/story")
            self.end_headers()
        elif self.path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.end_headers()
            try:
                for _ in range(10_000):
                    self.wfile.write(b"word " * 1000)
            except OSError:
                pass
        else:
            self.send_error(404, "Not Found")

    def _drip(self, data: bytes) -> None:
        try:
            for byte in data:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_a_url_is_refused_without_allow_network(server: str, tmp_path) -> None:
    version = tmp_path / "v.txt"
    version.write_text("The fire has burned 2,400 hectares.", encoding="utf-8")
    result = runner.invoke(app, ["check", f"{server}/story", str(version)])
    assert result.exit_code == 2
    assert "--allow-network" in result.output


def test_a_fetched_page_is_reduced_to_its_article(server: str, tmp_path) -> None:
    version = tmp_path / "v.txt"
    version.write_text(
        "Fire near Landiras\n\nThe fire has burned 4,200 hectares since Monday, the prefecture "
        "said. Three hundred firefighters are on site and more may be sent if the wind rises "
        "overnight.", encoding="utf-8")
    result = runner.invoke(
        app, ["check", f"{server}/story", str(version), "--allow-network", "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    assert "Contact us" not in result.stdout and "Home | World" not in result.stdout


def test_a_failed_fetch_says_so_plainly(server: str, tmp_path) -> None:
    version = tmp_path / "v.txt"
    version.write_text("Anything at all.", encoding="utf-8")
    result = runner.invoke(app, ["check", f"{server}/gone", str(version), "--allow-network"])
    assert result.exit_code == 2
    assert "could not fetch: the server answered 404" in result.output


@pytest.mark.parametrize("path", ["/drip-body", "/drip-headers"])
def test_a_dripping_server_fails_within_the_deadline(server: str, tmp_path, monkeypatch, path):
    monkeypatch.setenv("FIDELITY_FETCH_DEADLINE", "1.5")
    version = tmp_path / "v.txt"
    version.write_text("Anything at all.", encoding="utf-8")
    started = time.monotonic()
    result = runner.invoke(app, ["check", f"{server}{path}", str(version), "--allow-network"])
    assert time.monotonic() - started < 5
    assert result.exit_code == 2, result.output
    assert "within 1.5 s" in result.output and "FIDELITY_FETCH_DEADLINE" in result.output


def test_a_redirect_to_another_host_is_refused_within_the_host_followed(server, tmp_path):
    version = tmp_path / "v.txt"
    version.write_text("The fire has burned 2,400 hectares since Monday.", encoding="utf-8")
    result = runner.invoke(app, ["check", f"{server}/elsewhere", str(version), "--allow-network"])
    assert result.exit_code == 2
    assert "redirected to another host (localhost)" in result.output
    result = runner.invoke(app, ["check", f"{server}/moved", str(version), "--allow-network"])
    assert result.exit_code in (0, 1), result.output


def test_an_endless_page_stops_at_the_byte_limit(server: str, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("FIDELITY_MAX_BYTES", "100000")
    version = tmp_path / "v.txt"
    version.write_text("Anything at all.", encoding="utf-8")
    result = runner.invoke(app, ["check", f"{server}/endless", str(version), "--allow-network"])
    assert result.exit_code == 2
    assert "larger than the limit of 100,000 bytes" in result.output
