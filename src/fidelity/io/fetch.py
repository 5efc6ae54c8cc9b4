"""Documents given as a URL: fetched only when the user allows the network.

An editor's machine may be offline or behind a policy; a check that silently reached out
would surprise them, so a URL is refused unless `--allow-network` is given, and a failed
fetch says plainly what happened.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from fidelity import __version__
from fidelity.errors import FidelityInputError
from fidelity.io.load import MAX_BYTES, LoadedText, decode

TIMEOUT_SECONDS = 20


@dataclass(frozen=True)
class Url:
    """A document to fetch; `allowed` records the user's consent to use the network."""

    url: str
    allowed: bool = False


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def fetch(source: Url) -> LoadedText:
    """Fetch a page; HTML pages are reduced to their article text."""
    if not source.allowed:
        raise FidelityInputError(
            "is a URL; fetching it needs the network: pass --allow-network", source.url
        )
    request = urllib.request.Request(source.url, headers={"User-Agent": f"fidelity/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            data = response.read(MAX_BYTES + 1)
            content_type = response.headers.get_content_type()
    except urllib.error.HTTPError as error:
        raise FidelityInputError(
            f"could not fetch: the server answered {error.code} {error.reason}", source.url
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FidelityInputError(f"could not fetch: {reason}", source.url) from None
    loaded = decode(data, source.url)
    if content_type in {"text/html", "application/xhtml+xml"}:
        from fidelity.io.html import extract_article

        article = extract_article(loaded.text, source.url)
        return LoadedText(article.text, loaded.encoding, source.url)
    return loaded
