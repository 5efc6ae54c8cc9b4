"""What a report leaves out, in words every renderer shows: a check that could not judge the
pair and findings the baseline accepted are said, never silently hidden."""

from __future__ import annotations

from fidelity.model import VersionReport


def not_shown_notes(version: VersionReport) -> list[str]:
    notes = []
    if version.suppressed:
        n = len(version.suppressed)
        notes.append(f"{n} finding{'s' if n != 1 else ''} suppressed by the baseline")
    notes += [f"{skipped.check} not run: {skipped.reason}" for skipped in version.skipped_checks]
    return notes
