"""Project settings from `fidelity.toml` or `[tool.fidelity]` in `pyproject.toml`.

A desk sets its policy once (mode, model, what fails a story, which checks run, a glossary,
thresholds) and every `fidelity check` in that folder follows it; options given on the
command line win over the file.

    # fidelity.toml
    mode = "translation"
    model = "usem3"
    fail-on = "major"
    checks = ["semantic", "omission", "addition", "quote"]   # or: skip-checks = ["entity"]
    glossary = "terms.csv"                                   # relative to this file
    [semantic]
    major-percentile = 2     # flag below this percentile of faithful translations
    minor-percentile = 5
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fidelity.errors import FidelityInputError

KNOWN_KEYS = {"mode", "model", "fail-on", "checks", "skip-checks", "glossary", "semantic"}


@dataclass(frozen=True)
class Settings:
    source: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)


def find_settings(start: Path | None = None, explicit: Path | None = None) -> Settings:
    """The explicit file, else `fidelity.toml`, else `pyproject.toml`'s `[tool.fidelity]`,
    looked for in `start` (the current folder) and its parents."""
    if explicit is not None:
        return _read(explicit, explicit.suffix == ".toml" and explicit.name == "pyproject.toml")
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        candidate = directory / "fidelity.toml"
        if candidate.is_file():
            return _read(candidate, False)
        project = directory / "pyproject.toml"
        if project.is_file():
            settings = _read(project, True)
            if settings.values:
                return settings
    return Settings()


def _read(path: Path, is_pyproject: bool) -> Settings:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FidelityInputError("no such settings file", str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FidelityInputError(f"not valid TOML ({error})", str(path)) from None
    if is_pyproject:
        data = data.get("tool", {}).get("fidelity", {})
    unknown = sorted(set(data) - KNOWN_KEYS)
    if unknown:
        raise FidelityInputError(
            f"unknown setting {unknown[0]!r}; known: {', '.join(sorted(KNOWN_KEYS))}", str(path)
        )
    if "glossary" in data:
        data["glossary"] = str((path.parent / data["glossary"]).resolve())
    return Settings(path, data)
