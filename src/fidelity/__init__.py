"""fidelity: find where a translation or re-report drifted from the original.

    import fidelity
    report = fidelity.check(Path("statement.ru.txt"), [Path("story.en.txt")])
    for version in report.versions:
        for finding in version.findings:
            print(finding.severity.label, finding.check, finding.message)

Heavy modules load on first use so that `import fidelity` and `fidelity --help` stay fast;
the data model (`Report`, `Finding` ...) is plain dataclasses and loads at once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fidelity.model import (
    Alignment,
    Document,
    Finding,
    Report,
    Segment,
    Severity,
    Signature,
    SkippedCheck,
    Span,
    VersionReport,
)

# The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"

if TYPE_CHECKING:
    from fidelity.api import align_documents, check, load_document

__all__ = [
    "Alignment",
    "Document",
    "Finding",
    "Report",
    "Segment",
    "Severity",
    "Signature",
    "SkippedCheck",
    "Span",
    "VersionReport",
    "__version__",
    "align_documents",
    "check",
    "load_document",
]


def __getattr__(name: str) -> Any:
    if name in {"check", "align_documents", "load_document"}:
        from fidelity import api

        return getattr(api, name)
    raise AttributeError(name)
