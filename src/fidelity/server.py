"""`fidelity serve`: the checker as a small HTTP API, for a publishing system to call before a
story goes out.

A CMS posts the original and its versions as JSON to `POST /check` and gets back the same
JSON report as `fidelity check --format json` (its `failed` is the publish gate); `GET
/health` says the server is alive and its model loaded; `GET /openapi.json` describes both.

A server takes text from other programs, so every bound is enforced before work is done:
the body is read up to `max_body` bytes and no further (whatever Content-Length says, chunked
or not), at most `concurrency` checks run at once (in worker threads, so `/health` answers
while they run) and a request that cannot start within `queue_wait` seconds gets 503 with
Retry-After; versions per request and characters per text follow fidelity's own limits
(`fidelity.limits`). The encoder is loaded and tried once at start-up, nothing is fetched
from the network unless the server was started with `allow_network`, and the embedding cache
is not used: unpublished copy is never written to disk. Errors are one-line JSON objects that
name the field and the reason but never repeat the text that was sent; an internal error
gives a request id to find its traceback in the server's log.
"""

from __future__ import annotations

import functools
import hmac
import json
import logging
import math
import os
import re
import socket
import uuid
import warnings
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import anyio
from fastapi import FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from starlette.exceptions import HTTPException

from fidelity import __version__
from fidelity.baseline import Baseline
from fidelity.config import Settings
from fidelity.errors import REPORT_BUGS_AT, FidelityInputError, FidelityWarning
from fidelity.limits import MAX_VERSIONS

if TYPE_CHECKING:
    from fidelity.model import Document

# uvicorn's own error log: configured by it, so a traceback logged here reaches the console.
LOG = logging.getLogger("uvicorn.error")
TOKEN_VARIABLE = "FIDELITY_SERVE_TOKEN"

# Paths anyone may read: a liveness probe carries no token, and the API description holds
# nothing secret. Every other path needs the token when the server has one.
OPEN_PATHS = frozenset({"/health", "/openapi.json"})
# A body that has not arrived in this many seconds is abandoned (a client dripping bytes
# would otherwise hold a connection and its buffer for ever).
BODY_DEADLINE_SECONDS = 30.0
# Sent with the warm-up check at start-up: it loads the encoder and every lazily read table,
# so the first real request is as fast as the rest.
WARM_UP = (
    "The minister said on Monday that 40 people were killed in the attack.",
    "On Monday the minister said 40 people had been killed in the attack.",
)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


# ----------------------------------------------------------------------------- the request


class DocumentIn(BaseModel):
    """One text: the original or a version."""

    model_config = ConfigDict(extra="forbid", strict=True)

    text: str = Field(min_length=1, description="The text itself (never a file path).")
    lang: str | None = Field(
        default=None,
        max_length=35,
        pattern=r"^[A-Za-z]{2,3}([-_][A-Za-z0-9]{1,8})*$",
        description="Language code (en, ru, zh-Hans...); detected when absent.",
    )
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=120,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="How the report names this text (default: <original>, <version N>).",
    )


class OptionsIn(BaseModel):
    """What `fidelity check` takes as options; absent ones come from the server's settings."""

    model_config = ConfigDict(extra="forbid", strict=True)

    mode: Literal["auto", "translation", "rereport"] | None = Field(
        default=None, description="translation (in order), rereport (order-free) or auto."
    )
    fail_on: Literal["critical", "major", "minor", "never"] | None = Field(
        default=None, description="The severity that sets `failed` (default: major)."
    )
    checks: list[str] | None = Field(
        default=None, min_length=1, description="The checks to run (default: the usual set)."
    )
    split: Literal["sentences", "lines"] = Field(
        default="sentences", description="sentences, or lines for pre-split text."
    )


class CheckRequest(BaseModel):
    """The body of `POST /check`."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "original": {"text": "Officials said 40 people were killed.", "lang": "en"},
                    "versions": [
                        {"text": "Les autorités ont fait état de 4 morts.", "name": "fr wire"}
                    ],
                    "options": {"fail_on": "major"},
                }
            ]
        },
    )

    original: DocumentIn
    versions: list[DocumentIn] = Field(
        min_length=1, description="One or more versions (at most FIDELITY_MAX_VERSIONS)."
    )
    options: OptionsIn = Field(default_factory=OptionsIn)

    @field_validator("versions")
    @classmethod
    def _bounded(cls, versions: list[DocumentIn]) -> list[DocumentIn]:
        most = int(MAX_VERSIONS.value())
        if len(versions) > most:
            raise ValueError(
                f"at most {most} versions per request (set {MAX_VERSIONS.variable} on the "
                "server to raise it)"
            )
        return versions


# ----------------------------------------------------------------------------- the checker


@dataclass(frozen=True)
class ServeOptions:
    """How the server runs: its bounds, its token and the settings every check follows."""

    max_body: int = 5_000_000
    concurrency: int = 2
    queue: int = 8
    queue_wait: float = 10.0
    token: str | None = None
    model: str | None = None
    settings: Settings = field(default_factory=Settings)
    allow_network: bool = False
    # Accepted findings (as `fidelity check` reads them beside the settings file).
    baseline: Baseline | None = None
    body_deadline: float = BODY_DEADLINE_SECONDS


def answer(request: CheckRequest, options: ServeOptions) -> str:
    """The JSON report for one request, exactly as `fidelity check --format json` writes it.

    Runs in a worker thread: reading, embedding and checking are CPU-bound."""
    from fidelity.api import check
    from fidelity.report import render_json

    settings = options.settings
    given = request.options
    split = given.split
    original = _load(request.original, "<original>", split, options)
    versions = [
        _load(v, f"<version {k + 1}>", split, options) for k, v in enumerate(request.versions)
    ]
    report = check(
        original,
        versions,
        mode=given.mode or settings.get("mode", "auto"),
        model=options.model or settings.get("model"),
        checks=given.checks if given.checks is not None else settings.chosen_checks(),
        fail_on=given.fail_on or settings.get("fail-on", "major"),
        split=split,
        # Unpublished copy is not written to the embedding cache.
        cache=False,
        settings=dict(settings.values),
        settings_label=settings.label,
        baseline=options.baseline,
        allow_network=options.allow_network,
    )
    return render_json(report)


def _load(document: DocumentIn, default_name: str, split: str, options: ServeOptions
          ) -> Document:
    """The text read and segmented as `fidelity check` reads a file; a text that is only a
    URL is a page to fetch, and only a server started with `allow_network` fetches it."""
    from fidelity.api import load_document
    from fidelity.io.fetch import Url, is_url

    name = document.name or default_name
    candidate = document.text.strip()
    source: str | Url = document.text
    if is_url(candidate) and not any(ch.isspace() for ch in candidate):
        if not options.allow_network:
            raise FidelityInputError(
                "is a URL; this server fetches nothing (start it with --allow-network to "
                "let it fetch pages), so send the text itself",
                name,
            )
        source = Url(candidate, True)
    return load_document(source, document.lang, split, name)


def warm_up(options: ServeOptions) -> list[str]:
    """Load the encoders and run one check, so a broken model fails at start-up rather than
    on the first story; returns the models' names for `/health`.

    Without a chosen model a request picks the default or the broad encoder by its
    languages: both are loaded here, each once for the life of the server."""
    from fidelity.embed.registry import BROAD_MODEL, get_encoder

    report = json.loads(
        answer(
            CheckRequest(
                original=DocumentIn(text=WARM_UP[0], lang="en"),
                versions=[DocumentIn(text=WARM_UP[1], lang="en")],
            ),
            options,
        )
    )
    models = [str(report["versions"][0]["model"])]
    if (options.model or options.settings.get("model")) is None and BROAD_MODEL not in models:
        get_encoder(BROAD_MODEL, cache=False).encode([WARM_UP[0]])
        models.append(BROAD_MODEL)
    return models


# ----------------------------------------------------------------------------- errors


def _error(status: int, message: str, request_id: str, headers: dict[str, str] | None = None
           ) -> JSONResponse:
    """Every error is one JSON object with a one-line message and the request id."""
    line = " ".join(message.split())
    return JSONResponse({"error": line, "request_id": request_id}, status, headers=headers)


def _request_id(request: Request) -> str:
    return str(request.scope.get("fidelity.request_id", "-"))


class _BadRequest(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def parse_request(content_type: str | None, body: bytes) -> CheckRequest:
    """The body as a `CheckRequest`, or a `_BadRequest` naming the first problem by its
    field, in pydantic's own words, which never quote the input."""
    media = (content_type or "application/json").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        # Also keeps browsers' form and text/plain posts (sent without asking) out.
        raise _BadRequest(415, "send the body as JSON (Content-Type: application/json)")
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        raise _BadRequest(400, "the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise _BadRequest(422, "the body must be a JSON object")
    try:
        return CheckRequest.model_validate(data)
    except ValidationError as error:
        first = error.errors()[0]
    location = [str(part) for part in first["loc"]]
    reason = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        reason = "unknown option" if location[0] == "options" else "unknown field"
    message = f"{'.'.join(location)}: {reason}" if location else reason
    raise _BadRequest(422, message)


# ----------------------------------------------------------------------------- the app


class _Slots:
    """At most `concurrency` checks at once; others wait up to `queue_wait` seconds, and no
    more than `queue` of them, so a burst gets 503s instead of piling up memory and time."""

    def __init__(self, options: ServeOptions) -> None:
        self.options = options
        self.running = 0
        self.waiting = 0
        self._semaphore: anyio.Semaphore | None = None

    def retry_after(self) -> str:
        return str(max(1, math.ceil(self.options.queue_wait)))

    async def _wait_for_slot(self) -> bool:
        assert self._semaphore is not None
        self.waiting += 1
        try:
            with anyio.move_on_after(self.options.queue_wait):
                await self._semaphore.acquire()
                return True
            return False
        finally:
            self.waiting -= 1

    async def run(self, work: Callable[[], str]) -> str | None:
        """`work`'s result, or None when no slot came free in time."""
        if self._semaphore is None:  # made in the event loop, on first use
            self._semaphore = anyio.Semaphore(self.options.concurrency)
        try:
            self._semaphore.acquire_nowait()
        except anyio.WouldBlock:
            if self.waiting >= self.options.queue or not await self._wait_for_slot():
                return None
        self.running += 1
        try:
            return await anyio.to_thread.run_sync(work)
        finally:
            self.running -= 1
            self._semaphore.release()


def create_app(
    options: ServeOptions,
    models: list[str],
    work: Callable[[CheckRequest], str] | None = None,
) -> ASGIApp:
    """The ASGI application. `models` are what the warm-up loaded (for `/health`); `work`
    replaces the checker (tests use it to hold checks open)."""
    slots = _Slots(options)
    run_check = work or functools.partial(answer, options=options)
    api = FastAPI(
        title="fidelity",
        version=__version__,
        summary="Find where a translation or re-report drifted from the original.",
        # Swagger UI and ReDoc load scripts from a CDN: a served page must not.
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )

    @api.get("/health", summary="Liveness, and the model loaded at start-up")
    async def health() -> dict[str, Any]:
        return {
            "status": "ok",
            "version": __version__,
            "models": models,
            "model_loaded": bool(models),
            "checks_running": slots.running,
            "checks_waiting": slots.waiting,
            "concurrency": options.concurrency,
        }

    @api.post(
        "/check",
        summary="Check versions against an original; the JSON report of `fidelity check`",
        response_class=Response,
        openapi_extra={
            "requestBody": {"required": True, "content": _json_ref("CheckRequest")},
        },
        responses={
            200: {
                "description": "The report (schema_version 2); `failed` is true when a "
                "finding reaches fail_on.",
                "content": _json_ref("Report"),
            },
            **{
                status: {
                    "description": what,
                    "content": _json_ref("Error"),
                }
                for status, what in (
                    (400, "The body is not JSON."),
                    (415, "The body is not sent as application/json."),
                    (401, "A token is required and was missing or wrong."),
                    (413, "The body is larger than the server's --max-body."),
                    (422, "A field is missing or invalid, or fidelity cannot check the input."),
                    (500, "An internal error (a bug); quote request_id when reporting it."),
                    (503, "Every check slot stayed busy; retry after Retry-After seconds."),
                )
            },
        },
    )
    async def check(request: Request) -> Response:
        try:
            body = parse_request(request.headers.get("content-type"), await request.body())
            report = await slots.run(functools.partial(run_check, body))
        except _BadRequest as error:
            return _error(error.status, str(error), _request_id(request))
        except FidelityInputError as error:
            return _error(422, str(error), _request_id(request))
        except MemoryError:
            return _error(422, "the input is too large to check in this machine's memory",
                          _request_id(request))
        if report is None:
            return _error(503, "every check slot is busy; retry later", _request_id(request),
                          {"Retry-After": slots.retry_after()})
        return Response(report, media_type="application/json")

    @api.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> JSONResponse:
        return _error(error.status_code, str(error.detail), _request_id(request), error.headers)

    @api.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> JSONResponse:
        # The traceback goes to the server's log under the request id, never to the client.
        LOG.error("request %s: internal error", _request_id(request), exc_info=error)
        return _error(
            500,
            f"internal error (a bug): please report it at {REPORT_BUGS_AT} with the request id",
            _request_id(request),
        )

    def openapi() -> dict[str, Any]:
        if api.openapi_schema is None:
            from fidelity.report.json import report_schema

            schema = get_openapi(title=api.title, version=api.version, summary=api.summary,
                                 routes=api.routes)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            request_schema = CheckRequest.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            schemas.update(request_schema.pop("$defs", {}))
            schemas["CheckRequest"] = request_schema
            schemas.update(_as_components(report_schema(), "Report"))
            schemas["Error"] = {
                "type": "object",
                "required": ["error", "request_id"],
                "properties": {"error": {"type": "string"}, "request_id": {"type": "string"}},
            }
            if options.token:
                schema["components"]["securitySchemes"] = {
                    "bearer": {"type": "http", "scheme": "bearer"}
                }
                schema["paths"]["/check"]["post"]["security"] = [{"bearer": []}]
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = openapi  # type: ignore[method-assign]
    return _Guard(api, options)


def _as_components(schema: dict[str, Any], name: str) -> dict[str, Any]:
    """The report's JSON Schema as OpenAPI components: its `$defs` become `Report_segment`
    and so on, and their references point there, so any OpenAPI tool resolves them."""

    def moved(node: Any) -> Any:
        if isinstance(node, dict):
            return {
                key: (f"#/components/schemas/{name}_{value.removeprefix('#/$defs/')}"
                      if key == "$ref" and isinstance(value, str) else moved(value))
                for key, value in node.items()
            }
        if isinstance(node, list):
            return [moved(item) for item in node]
        return node

    body = {k: v for k, v in schema.items() if k not in ("$schema", "$id", "$defs")}
    parts = {name: moved(body)}
    parts.update({f"{name}_{key}": moved(value) for key, value in schema.get("$defs", {}).items()})
    return parts


def _json_ref(name: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}


class _BodyTooLarge(Exception):
    pass


class _Guard:
    """The checks made before the application sees a request: a request id, the token, and
    the body read whole up to `max_body` bytes (never past it) within a deadline."""

    def __init__(self, app: ASGIApp, options: ServeOptions) -> None:
        self.app = app
        self.options = options
        self.token = options.token.encode() if options.token else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        scope["fidelity.request_id"] = request_id
        started = False

        async def send_with_id(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = [*message.get("headers", []),
                                      (b"x-request-id", request_id.encode())]
            await send(message)

        async def refuse(status: int, message: str, headers: dict[str, str] | None = None
                         ) -> None:
            await _error(status, message, request_id, headers)(scope, receive, send_with_id)

        if self.token is not None and scope["path"] not in OPEN_PATHS and not self._authorised(
            scope
        ):
            await refuse(401, "a bearer token is required (Authorization: Bearer TOKEN)",
                         {"WWW-Authenticate": 'Bearer realm="fidelity"'})
            return
        declared = _header(scope, b"content-length")
        if declared is not None and not declared.isdigit():
            await refuse(400, "Content-Length is not a number")
            return
        if declared is not None and int(declared) > self.options.max_body:
            await refuse(413, self._too_large())  # refused before a byte of it is read
            return
        try:
            with anyio.fail_after(self.options.body_deadline):
                body = await self._read_body(receive)
        except _BodyTooLarge:
            await refuse(413, self._too_large())
            return
        except TimeoutError:
            await refuse(408, f"the body did not arrive within {self.options.body_deadline:g} s")
            return
        if body is None:  # the client went away
            return

        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        try:
            await self.app(scope, replay, send_with_id)
        except Exception:
            # The application's handler has answered 500 and logged it; what reaches here
            # was re-raised for the server's log, which already has it under the request id.
            if not started:
                await refuse(500, "internal error (a bug)")

    def _authorised(self, scope: Scope) -> bool:
        assert self.token is not None
        given = _header(scope, b"authorization") or ""
        scheme, _, credential = given.partition(" ")
        # compare_digest takes as long whatever the first differing byte: the token cannot be
        # guessed byte by byte from response times.
        return scheme.lower() == "bearer" and hmac.compare_digest(
            credential.strip().encode("utf-8", "replace"), self.token
        )

    async def _read_body(self, receive: Receive) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.options.max_body:
                raise _BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _too_large(self) -> str:
        limit = describe_size(self.options.max_body)
        return f"the body is larger than this server's limit of {limit}"


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


# ----------------------------------------------------------------------------- running it

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1000, "m": 1000**2, "g": 1000**3,
          "ki": 1024, "mi": 1024**2, "gi": 1024**3}


def parse_size(text: str) -> int:
    """`5MB` (decimal, 5,000,000 bytes), `5MiB` (binary), `512k` or plain bytes."""
    match = _SIZE.match(text)
    if not match:
        raise FidelityInputError(f"--max-body {text!r} is not a size (e.g. 5MB, 512KB, 1MiB)")
    unit = (match.group(2) or "").lower().removesuffix("b")
    size = int(float(match.group(1)) * _UNITS[unit])
    if size < 1:
        raise FidelityInputError(f"--max-body {text!r} must be at least one byte")
    return size


def describe_size(size: int) -> str:
    for unit, factor in (("GB", 1000**3), ("MB", 1000**2), ("KB", 1000)):
        if size >= factor:
            return f"{size / factor:g} {unit}"
    return f"{size} bytes"


def is_loopback(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before the model loads so a taken port fails at once."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except (OSError, UnicodeError) as error:
        raise FidelityInputError(f"--host {host!r}: cannot listen there ({error})") from None
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
    except OSError as error:
        sock.close()
        raise FidelityInputError(
            f"{host}:{port}: cannot listen there ({error.strerror or error})"
        ) from None
    return sock


def serve(
    *,
    host: str,
    port: int,
    max_body: str,
    concurrency: int,
    queue: int,
    queue_wait: float,
    token_file: Path | None,
    model: str | None,
    config: Path | None,
    allow_network: bool,
    say: Callable[[str], None],
) -> None:
    """`fidelity serve`: read the settings and the token, bind, load and try the model, then
    serve until interrupted. Every refusal before serving is a `FidelityInputError`."""
    from fidelity.baseline import default_baseline_path, load_baseline
    from fidelity.config import find_settings

    settings = find_settings(explicit=config)
    options = ServeOptions(
        max_body=parse_size(max_body),
        concurrency=concurrency,
        queue=queue,
        queue_wait=queue_wait,
        token=read_token(token_file),
        model=model,
        settings=settings,
        allow_network=allow_network,
        baseline=load_baseline(default_baseline_path(settings.source)),
    )
    sock = bind(host, port)
    if not is_loopback(host):
        warnings.warn(
            f"listening on {host}: other machines can reach this server"
            + ("" if options.token else "; without a token anyone who can reach the port "
               "can send texts (give --token-file)"),
            FidelityWarning,
            stacklevel=2,
        )
    try:
        say("fidelity serve: loading the model and trying one check")
        models = warm_up(options)
        run(options, sock, models, say)
    finally:
        sock.close()


def read_token(token_file: Path | None) -> str | None:
    """The token from the file, else from FIDELITY_SERVE_TOKEN, else None (no token)."""
    if token_file is None:
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
        return token or None
    from fidelity.io.load import read_bounded

    try:
        # Bounded: `--token-file /dev/zero` must not fill the memory.
        with open(token_file, "rb") as handle:
            data = read_bounded(handle, str(token_file), what="the token file")
        token = data.decode("utf-8").strip()
        mode = token_file.stat().st_mode
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "cannot be read as UTF-8 text"
        raise FidelityInputError(
            f"cannot read the token file ({reason})", str(token_file)
        ) from None
    if not token:
        raise FidelityInputError("the token file is empty", str(token_file))
    if any(ch.isspace() for ch in token):
        raise FidelityInputError("the token must be one line without spaces", str(token_file))
    if mode & 0o077:
        warnings.warn(
            f"{token_file}: other users can read this token file (chmod 600 it)",
            FidelityWarning,
            stacklevel=2,
        )
    return token


def run(options: ServeOptions, sock: socket.socket, models: list[str],
        say: Callable[[str], None]) -> None:
    """Serve on `sock` until interrupted (Ctrl-C or SIGTERM end it cleanly)."""
    import uvicorn

    host, port = sock.getsockname()[:2]
    config = uvicorn.Config(
        create_app(options, models),
        host=host,
        port=port,
        log_level="info",
        # Every connection may hold a body of max_body bytes: the connections at once are
        # bounded, with room for health probes beside the checks and their queue.
        limit_concurrency=options.concurrency + options.queue + 8,
        timeout_keep_alive=5,
        server_header=False,
    )
    shown = f"[{host}]" if ":" in host else host
    say(
        f"fidelity serve: http://{shown}:{port} (POST /check, GET /health, GET /openapi.json); "
        f"model {'+'.join(models)}, {options.concurrency} checks at once, bodies up to "
        f"{describe_size(options.max_body)}, "
        f"{'bearer token required' if options.token else 'no token'}"
    )
    # uvicorn ends on SIGINT or SIGTERM after finishing the requests in flight.
    uvicorn.Server(config).run(sockets=[sock])
