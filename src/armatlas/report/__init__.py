"""Printable country reports: self-contained HTML (inline SVG charts, inline CSS) and PDF."""

from armatlas.report.build import ReportFormat, render_html, render_pdf, write_report

__all__ = ["ReportFormat", "render_html", "render_pdf", "write_report"]
