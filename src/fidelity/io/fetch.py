"""Documents given as a URL: fetched only when the user allows the network.

An editor's machine may be offline or behind a policy; a check that silently reached out
would surprise them, so a URL is refused unless `--allow-network` is given, and a failed
fetch says plainly what happened.
"""

from __future__ import annotations

import functools
import http.client
import io
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from fidelity import __version__
from fidelity.errors import FidelityInputError
from fidelity.io.load import LoadedText, decode, read_bounded
from fidelity.limits import FETCH_DEADLINE, MAX_BYTES


@dataclass(frozen=True)
class Url:
    """A document to fetch; `allowed` records the user's consent to use the network."""

    url: str
    allowed: bool = False


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch(source: Url) -> LoadedText:
    """Fetch a page; HTML pages are reduced to their article text.

    The whole fetch (connection, redirects, headers, body) has one deadline
    (FIDELITY_FETCH_DEADLINE), so a server that drips a byte every few seconds fails in
    bounded time; the body is read up to FIDELITY_MAX_BYTES. Redirects are followed only
    within the same host: text from another site must not be reported under this URL.
    """
    if not source.allowed:
        raise FidelityInputError(
            "is a URL; fetching it needs the network: pass --allow-network", source.url
        )
    deadline_seconds = FETCH_DEADLINE.value()
    deadline = time.monotonic() + deadline_seconds
    opener = urllib.request.build_opener(
        _DeadlineHTTPHandler(deadline),
        _DeadlineHTTPSHandler(deadline),
        _SameHostRedirects(),
    )
    request = urllib.request.Request(source.url, headers={"User-Agent": f"fidelity/{__version__}"})
    try:
        with opener.open(request, timeout=deadline_seconds) as response:
            data = read_bounded(response, source.url, MAX_BYTES, "the page")
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        raise FidelityInputError(
            f"could not fetch: the server answered {error.code} {error.reason}", source.url
        ) from None
    except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
        raise FidelityInputError(_failure(error, deadline_seconds), source.url) from None
    loaded = decode(data, source.url)
    if content_type in {"text/html", "application/xhtml+xml"}:
        from fidelity.io.html import extract_article

        article = extract_article(loaded.text, source.url)
        return LoadedText(article.text, loaded.encoding, source.url)
    return loaded


def _failure(error: Exception, deadline_seconds: float) -> str:
    reason = getattr(error, "reason", None) if isinstance(error, urllib.error.URLError) else None
    reason = reason or error
    if isinstance(reason, TimeoutError):
        return (
            f"could not fetch: no complete answer within {deadline_seconds:g} s "
            "(set FIDELITY_FETCH_DEADLINE to wait longer)"
        )
    if isinstance(reason, _OtherHost):
        return (
            f"could not fetch: redirected to another host ({reason.host}); give that URL "
            "itself if you trust it"
        )
    return f"could not fetch: {' '.join(str(reason).split())}"


class _Deadline(TimeoutError):
    """The fetch's overall deadline passed."""


class _OtherHost(OSError):
    def __init__(self, host: str) -> None:
        super().__init__(f"redirected to another host ({host})")
        self.host = host


class _DeadlineReader(io.RawIOBase):
    """The socket under an HTTP response, each read given only the time left before the
    deadline: a per-read timeout alone lets a dripping server run on for ever."""

    def __init__(self, plain: io.BufferedReader, sock: Any, deadline: float) -> None:
        super().__init__()
        self._plain = plain  # keeps the socket open until the response is closed
        self._sock = sock
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise _Deadline("deadline passed")
        self._sock.settimeout(remaining)
        try:
            return self._plain.raw.readinto(buffer)
        except TimeoutError:
            raise _Deadline("deadline passed") from None

    def close(self) -> None:
        self._plain.close()
        super().close()


class _DeadlineResponse(http.client.HTTPResponse):
    def __init__(self, sock: Any, *args: Any, deadline: float, **kwargs: Any) -> None:
        super().__init__(sock, *args, **kwargs)
        self.fp = io.BufferedReader(_DeadlineReader(self.fp, sock, deadline))


def _connection(kind: type[http.client.HTTPConnection], deadline: float):
    def make(host: str, **kwargs: Any) -> http.client.HTTPConnection:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise _Deadline("deadline passed")
        kwargs["timeout"] = min(kwargs.get("timeout") or remaining, remaining)
        connection = kind(host, **kwargs)
        connection.response_class = functools.partial(_DeadlineResponse, deadline=deadline)
        return connection

    return make


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_connection(http.client.HTTPConnection, self._deadline), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            _connection(http.client.HTTPSConnection, self._deadline),
            req,
            context=self._context,
        )


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old_host = urllib.parse.urlsplit(req.full_url).hostname
        new_host = urllib.parse.urlsplit(newurl).hostname
        if (old_host or "").lower() != (new_host or "").lower():
            raise _OtherHost(new_host or newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)
