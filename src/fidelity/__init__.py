"""fidelity: find where a translation or re-report drifted from the original.

    import fidelity
    report = fidelity.check(Path("statement.ru.txt"), [Path("story.en.txt")])

Heavy modules load on first use so that `import fidelity` and `fidelity --help` stay fast.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from fidelity.api import align_documents, check, load_document
    from fidelity.model import Report

__all__ = ["Report", "__version__", "align_documents", "check", "load_document"]


def __getattr__(name: str) -> Any:
    if name in {"check", "align_documents", "load_document"}:
        from fidelity import api

        return getattr(api, name)
    if name == "Report":
        from fidelity.model import Report

        return Report
    raise AttributeError(name)
