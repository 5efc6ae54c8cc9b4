"""`fidelity align` for reading: each bead with its sentences, as text, Markdown or HTML.

A bead pairs original sentences with the version sentences that render them; either side
may be empty (an omitted or an added sentence). Sentences are numbered from 1 here, as in
`fidelity check`'s reports; the JSON output stays the plain 0-based bead list.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from fidelity.model import Alignment, Document
from fidelity.report import html as html_report
from fidelity.report.locate import SegmentIndex
from fidelity.report.markdown import inline_code, table_cell

if TYPE_CHECKING:
    from fidelity.api import AlignedDocuments

OMITTED = "(omitted: no rendering in the version)"
ADDED = "(added: nothing in the original says this)"


def _sentences(doc: Document, ids: tuple[int, ...]) -> str:
    return " ".join(" ".join(doc.segments[i].text.split()) for i in ids)


def _similarity(bead: Alignment) -> str:
    return "" if bead.similarity is None else f"{bead.similarity:.3f}"


def _heading(aligned: AlignedDocuments) -> list[str]:
    return [
        f"original {aligned.original.name} [{aligned.original.lang}], "
        f"{len(aligned.original.segments)} sentences",
        f"version {aligned.version.name} [{aligned.version.lang}], "
        f"{len(aligned.version.segments)} sentences",
        f"mode {aligned.mode.mode} ({aligned.mode.reason}); model {aligned.model}",
    ]


def render_alignment_text(aligned: AlignedDocuments) -> str:
    """One block per bead: `3 ↔ 3  0.912`, then the original and the version sentences."""
    original, version = aligned.original, aligned.version
    o_index, v_index = SegmentIndex(original), SegmentIndex(version)
    lines = [f"# {line}" for line in _heading(aligned)]
    lines.append("# original ↔ version sentences, from 1 (JSON ids count from 0); similarity")
    for bead in aligned.alignments:
        label = f"{o_index.label(bead.original_ids)} ↔ {v_index.label(bead.version_ids)}"
        similarity = _similarity(bead)
        o_text = _sentences(original, bead.original_ids) if bead.original_ids else ADDED
        v_text = _sentences(version, bead.version_ids) if bead.version_ids else OMITTED
        lines += ["", f"{label}  {similarity}".rstrip(), f"  original  {o_text}",
                  f"  version   {v_text}"]
    return "\n".join(lines) + "\n"


def render_alignment_markdown(aligned: AlignedDocuments) -> str:
    original, version = aligned.original, aligned.version
    o_index, v_index = SegmentIndex(original), SegmentIndex(version)
    lines = ["# Sentence alignment", ""]
    for side, doc in (("original", original), ("version", version)):
        lines.append(f"- {side} {inline_code(doc.name)} \\[{table_cell(doc.lang)}\\], "
                     f"{len(doc.segments)} sentences")
    lines.append(f"- mode {aligned.mode.mode} ({table_cell(aligned.mode.reason)})")
    lines += [
        "",
        f"| original | version | similarity | original [{table_cell(original.lang)}] "
        f"| version [{table_cell(version.lang)}] |",
        "| ---: | ---: | ---: | --- | --- |",
    ]
    for bead in aligned.alignments:
        o_text = table_cell(_sentences(original, bead.original_ids)) if bead.original_ids else ""
        v_text = table_cell(_sentences(version, bead.version_ids)) if bead.version_ids else ""
        o_text = o_text or f"*{table_cell(ADDED)}*"
        v_text = v_text or f"*{table_cell(OMITTED)}*"
        lines.append(
            f"| {table_cell(o_index.label(bead.original_ids))} "
            f"| {table_cell(v_index.label(bead.version_ids))} | {_similarity(bead)} "
            f"| {o_text} | {v_text} |"
        )
    model = inline_code(aligned.model)
    lines += ["", f"Sentences from 1 (JSON ids count from 0). Model: {model}", ""]
    return "\n".join(lines)


def render_alignment_html(aligned: AlignedDocuments) -> str:
    """The check report's side-by-side rows, without findings: one standalone file."""
    original, version = aligned.original, aligned.version
    o_index, v_index = SegmentIndex(original), SegmentIndex(version)
    o_attrs = html_report.lang_attrs(original.lang)
    v_attrs = html_report.lang_attrs(version.lang)
    rows = [
        '<div class="pairs" role="table" aria-label="original and version, aligned">',
        '<div class="row head" role="row"><div class="idx" role="columnheader">#</div>'
        f'<div class="cell" role="columnheader">Original [{escape(original.lang)}]</div>'
        f'<div class="cell" role="columnheader">Version [{escape(version.lang)}]</div></div>',
    ]
    for k, bead in enumerate(aligned.alignments):
        classes = ["row"]
        if not bead.version_ids:
            classes.append("omitted")
        if not bead.original_ids:
            classes.append("added")
        o_html = (
            html_report.cell_html(
                original, html_report.sentence_runs(original, bead.original_ids), []
            )
            if bead.original_ids
            else f'<span class="none">{escape(ADDED)}</span>'
        )
        v_html = (
            html_report.cell_html(
                version, html_report.sentence_runs(version, bead.version_ids), []
            )
            if bead.version_ids
            else f'<span class="none">{escape(OMITTED)}</span>'
        )
        rows.append(
            f'<div class="{" ".join(classes)}" id="r{k + 1}" role="row">'
            f'<div class="idx" role="cell">{html_report.bead_label(bead, o_index, v_index)}</div>'
            f'<div class="cell orig" role="cell"{o_attrs}>'
            f'<span class="lbl" lang="en" dir="ltr">original</span>{o_html}</div>'
            f'<div class="cell ver" role="cell"{v_attrs}>'
            f'<span class="lbl" lang="en" dir="ltr">version</span>{v_html}</div></div>'
        )
    rows.append("</div>")
    title = f"fidelity align: {version.name} vs {original.name}"
    heading = "".join(f"<p class=\"muted\">{escape(line)}</p>" for line in _heading(aligned))
    return "\n".join(
        [
            *html_report.page_head(title),
            "<header><h1>Sentence alignment</h1>",
            heading,
            "</header>",
            "<main>",
            *rows,
            "</main>",
            '<footer>Sentences numbered from 1; the figure under the numbers is the '
            "similarity of the pair.</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
