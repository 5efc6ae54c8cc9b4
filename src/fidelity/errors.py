"""Errors a user can act on: the CLI prints them on one line and exits with status 2."""

from __future__ import annotations


class FidelityInputError(Exception):
    """Input the tool cannot work with (missing, empty, binary, undecodable, unsupported...).

    The message names the file and the reason, because an editor reading it at a publishing
    deadline must know what to fix without a traceback.
    """

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = printable_path(path) if path is not None else None
        super().__init__(f"{self.path}: {reason}" if self.path else reason)


class UnsupportedLanguageError(FidelityInputError):
    """No installed encoder covers the language of a document."""


class FidelityWarning(UserWarning):
    """Something a user should know that does not stop the run (a damaged cache set aside and
    rebuilt, a foreign pyproject.toml passed over); the CLI prints it as one line."""


def printable_path(name: str) -> str:
    """A file name as text that any output can carry: bytes that were not UTF-8 in the name
    (kept by Python as lone surrogates) are shown as `\\xff` escapes instead of making the
    JSON writer or the terminal fail."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        pass
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate that did not come from a file name's byte
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


# Where a user reports an internal error (exit status 3).
REPORT_BUGS_AT = "the fidelity issue tracker (see README, 'Reporting a bug')"
