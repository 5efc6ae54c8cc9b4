"""Errors a user can act on: the CLI prints them on one line and exits with status 2."""

from __future__ import annotations


class FidelityInputError(Exception):
    """Input the tool cannot work with (missing, empty, binary, undecodable, unsupported...).

    The message names the file and the reason, because an editor reading it at a publishing
    deadline must know what to fix without a traceback.
    """

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class UnsupportedLanguageError(FidelityInputError):
    """No installed encoder covers the language of a document."""
