"""Renderers: each turns a `Report` into one output format and decides nothing."""

from fidelity.report.html import render_html
from fidelity.report.json import render_json, report_to_dict
from fidelity.report.markdown import render_markdown
from fidelity.report.table import render_csv, render_xlsx
from fidelity.report.text import render_text

FORMATS = ("text", "json", "md", "html", "csv", "xlsx")

__all__ = ["FORMATS", "render_csv", "render_html", "render_json", "render_markdown",
           "render_text", "render_xlsx", "report_to_dict"]
