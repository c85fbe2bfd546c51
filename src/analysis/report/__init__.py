"""The HTML report ``reports/index.html`` (see :mod:`analysis.report.html`)."""

from analysis.report.html import build_report, markdown_to_html, render_report, write_report

__all__ = ["build_report", "markdown_to_html", "render_report", "write_report"]
