"""Renderers: each turns a `Report` into one output format and decides nothing."""

from fidelity.report.json import render_json, report_to_dict
from fidelity.report.text import render_text

FORMATS = ("text", "json")

__all__ = ["FORMATS", "render_json", "render_text", "report_to_dict"]
