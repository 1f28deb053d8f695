"""A country profile as one file: charts rendered to SVG (vl-convert), then HTML or PDF.

The HTML needs nothing else (no script, no network); the PDF is the same HTML laid out by
WeasyPrint, a pip package that needs only Pango from the system.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from jinja2 import Environment, UndefinedError
from markupsafe import Markup

from armatlas import __version__
from armatlas.atlas import Atlas
from armatlas.errors import ArmatlasError
from armatlas.render import TEMPLATES as SHARED_TEMPLATES
from armatlas.render.charts import profile_charts
from armatlas.render.findings import key_findings
from armatlas.render.notes import CITATION, METHOD_NOTES
from armatlas.render.svg import to_svg
from armatlas.render.templating import environment, template_error
from armatlas.render.views import import_flows

if TYPE_CHECKING:
    from armatlas.results import CompositeResult
    from armatlas.summaries import ProfileSummary

ReportFormat = Literal["html", "pdf"]
TEMPLATES = Path(__file__).parent / "templates"
CHART_WIDTH = 620  # px; fits an A4 page with 15 mm margins


class ReportError(ArmatlasError):
    code = "report-failed"


def _env() -> Environment:
    # render/templates supplies the sections the page and the report share (_profile_more.html).
    return environment([TEMPLATES, SHARED_TEMPLATES])


def chart_svgs(profile: CompositeResult[ProfileSummary]) -> list[tuple[str, Markup]]:
    """Every profile chart as an inline SVG string (vl-convert renders without a browser)."""
    # produced by vl-convert from our own spec, not user text
    return [(name, Markup(to_svg(spec))) for name, spec in profile_charts(profile, width=CHART_WIDTH)]


def render_html(atlas: Atlas, country: str, *, period: str | None = None, release: str | None = None) -> str:
    """The report as one self-contained HTML document."""
    prof = atlas.profile(country, period=period, release=release)
    css = (TEMPLATES / "report.css").read_text(encoding="utf-8")
    findings = key_findings(prof, import_flows(atlas, prof, release))
    try:
        return (
            _env()
            .get_template("report.html")
            .render(
                profile=prof,
                findings=findings,
                charts=dict(chart_svgs(prof)),
                css=Markup(css),
                notes=METHOD_NOTES,
                citation=CITATION,
                version=__version__,
                made=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            )
        )
    except UndefinedError as exc:
        raise template_error(exc, "report.html") from None


def render_pdf(html: str) -> bytes:
    """The same HTML laid out as a PDF by WeasyPrint."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango missing from the system
        raise ReportError(
            f"PDF output needs WeasyPrint and Pango: {exc}",
            hint="pip install weasyprint; on Debian apt-get install libpango-1.0-0 libpangoft2-1.0-0",
        ) from None
    return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()


def write_report(
    atlas: Atlas,
    country: str,
    fmt: ReportFormat = "html",
    output: str | Path | None = None,
    *,
    period: str | None = None,
    release: str | None = None,
) -> Path:
    """Write the report; the default name is <entity-id>.<fmt> in the current folder."""
    if fmt not in ("html", "pdf"):
        raise ReportError(f"Unknown report format {fmt!r}", value=fmt, hint="Use html or pdf.")
    html = render_html(atlas, country, period=period, release=release)
    if output is None:
        output = Path(f"{atlas.entity(country).entity_id}.{fmt}")
    path = Path(output)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt == "html":
            path.write_text(html, encoding="utf-8")
        else:
            path.write_bytes(render_pdf(html))
    except OSError as exc:
        raise ReportError(f"Cannot write the report: {exc.strerror}", file=path) from None
    return path
