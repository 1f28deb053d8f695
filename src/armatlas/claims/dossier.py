"""Render a dossier: terminal (Rich), Markdown, self-contained HTML with small SVG charts, JSON."""

from __future__ import annotations

import html

from armatlas.claims.check import CheckedClaim, Dossier
from armatlas.claims.kinds import SHARE_KINDS, ClaimKind
from armatlas.claims.wording import computed, describe, name, stated

FORMATS = ("terminal", "markdown", "html", "json")
_COLOURS = {"consistent": "green", "inconsistent": "red", "not checkable": "yellow", "ambiguous": "magenta"}


def _claimed(c: CheckedClaim) -> str:
    """'Israel's share of Azerbaijan's arms imports, 2017–2021: article 61%'."""
    return f"{describe(c.claim)}: article {stated(c.claim)}"


def _computed(c: CheckedClaim) -> str:
    return computed(c.claim.kind, c.evidence.computed)


def _colour(c: CheckedClaim) -> str:
    return _COLOURS.get(c.verdict.verdict.split(" (")[0], "white")


def _newest(c: CheckedClaim) -> str:
    if not c.newest:
        return ""
    rel, ev, v = c.newest
    return f"{rel}: {computed(c.claim.kind, ev.computed)} ({v.verdict})"


def _row_notes(d: Dossier) -> list[str]:
    """Notes that refer to rows by the number the table shows."""
    out = []
    for i, c in enumerate(d.claims, 1):
        if c.claim.kind != ClaimKind.OUT_OF_SCOPE:
            out += [f"[{i}] {n}" for n in c.claim.notes + c.evidence.notes]
    return out


def _header(d: Dossier) -> list[str]:
    a = d.article
    lines = [
        f"Source: {a.source or '–'}; published {a.published_label or 'undated'}",
        f"Main country: {name(d.main_entity) if d.main_entity else '–'}; newest period named: {d.article_period or '–'}",
        f"Editions: {d.release_choice or 'release ' + d.provenance.release}",
        "Verdicts: " + ", ".join(f"{k} {v}" for k, v in d.counts().items()),
    ]
    return [f"WARNING: {w}" for w in d.warnings] + lines


def render_terminal(d: Dossier) -> None:
    """Rich table on stdout."""
    from rich.console import Console
    from rich.table import Table

    con = Console()
    a = d.article
    con.print(f"[bold]{a.title or a.location}[/bold]")
    for line in _header(d):
        con.print(line)
    t = Table(show_lines=True)
    for col, width in (("#", 3), ("claim", 40), ("data", 10), ("verdict", 13), ("why", None), ("newest", 18)):
        t.add_column(col, overflow="fold", max_width=width)
    for i, c in enumerate(d.claims, 1):
        colour = _colour(c)
        t.add_row(
            str(i),
            _claimed(c),
            _computed(c),
            f"[{colour}]{c.verdict.verdict}[/{colour}]",
            f"{c.verdict.explanation}\n[dim]sentence {c.claim.sentence_index}: {c.claim.text[:80]}[/dim]",
            _newest(c),
        )
    con.print(t)
    for u in d.unchecked:
        con.print(
            f"[yellow]not checked[/yellow] sentence {u['sentence_index']}: {u['reason']}: {u['sentence'][:100]}"
        )
    for n in d.notes + _row_notes(d):
        con.print(f"[dim]note: {n}[/dim]")
    con.print(f"[dim]{d.provenance.citation()}[/dim]")


def render_markdown(d: Dossier) -> str:
    a = d.article
    out = [
        f"# Claim check: {a.title or a.location}",
        "",
        *[f"- {x}" for x in _header(d)],
        "",
        "| # | claim | data | verdict | why | newest release |",
        "|---|---|---|---|---|---|",
    ]
    for i, c in enumerate(d.claims, 1):
        cells = [
            str(i),
            _claimed(c).replace("|", "/"),
            _computed(c),
            f"**{c.verdict.verdict}**",
            c.verdict.explanation.replace("|", "/")
            + f" (sentence {c.claim.sentence_index}: “{c.claim.text[:100]}”)",
            _newest(c),
        ]
        out.append("| " + " | ".join(cells) + " |")
    if d.unchecked:
        out += [
            "",
            "## Not checked",
            *[
                f"- sentence {u['sentence_index']}: {u['reason']}: “{u['sentence'][:160]}”"
                for u in d.unchecked
            ],
        ]
    out += ["", "## Notes", *[f"- {n}" for n in d.notes + _row_notes(d)], "", d.provenance.citation(), ""]
    return "\n".join(out)


def _svg(c: CheckedClaim, source: str) -> str:
    """A small bar chart (the shared Vega-Lite spec rendered to inline SVG) where the claim has a series."""
    if not c.evidence.chart or c.claim.kind == ClaimKind.OUT_OF_SCOPE:
        return ""
    from armatlas.render.charts import evidence_chart
    from armatlas.render.svg import to_svg

    unit = (
        "TIV (m)"
        if c.claim.kind in (ClaimKind.CHANGE, ClaimKind.DEPENDENCE, ClaimKind.EXPORTS_REACH)
        else "%"
    )
    claimed = c.claim.value if c.claim.value is not None and c.claim.kind in SHARE_KINDS else None
    try:
        return to_svg(evidence_chart(c.evidence.chart, unit, source, claimed))
    except ImportError:  # vl-convert is an optional dependency
        return ""


def render_html(d: Dossier) -> str:
    """One self-contained file: inline CSS and SVG, no scripts, no network."""
    a = d.article
    e = html.escape
    rows = []
    for i, c in enumerate(d.claims, 1):
        colour = {
            "green": "#2e7d32",
            "red": "#c62828",
            "yellow": "#b58900",
            "magenta": "#8e24aa",
            "white": "#333",
        }[_colour(c)]
        rows.append(
            f"<tr><td>{i}</td><td>{e(_claimed(c))}</td><td>{e(_computed(c))}</td>"
            f"<td style='color:{colour};font-weight:bold'>{e(c.verdict.verdict)}</td>"
            f"<td>{e(c.verdict.explanation)}<br><small>sentence {c.claim.sentence_index}: "
            f"<q>{e(c.claim.text[:200])}</q></small></td><td>{e(_newest(c))}</td>"
            f"<td>{_svg(c, d.provenance.citation())}</td></tr>"
        )
    head = "".join(f"<p>{e(x)}</p>" for x in _header(d))
    unchecked = "".join(
        f"<li>sentence {u['sentence_index']}: {e(u['reason'])}: <q>{e(u['sentence'][:200])}</q></li>"
        for u in d.unchecked
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Claim check: {e(a.title or "")}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}}th{{background:#f3f3f3}}
svg{{max-width:320px;height:auto}}</style></head><body>
<h1>Claim check: {e(a.title or a.location or "")}</h1>
{head}
<table><tr><th>#</th><th>claim</th><th>data</th><th>verdict</th><th>why</th><th>newest release</th><th>chart</th></tr>
{"".join(rows)}</table>
{f"<h2>Not checked</h2><ul>{unchecked}</ul>" if unchecked else ""}
<h2>Notes</h2><ul>{"".join(f"<li>{e(n)}</li>" for n in d.notes + _row_notes(d))}</ul>
<p><small>{e(d.provenance.citation())} TIV is a volume measure, not money.</small></p></body></html>"""


def render(d: Dossier, fmt: str) -> str | None:
    """Text for markdown/html/json; terminal prints and returns None."""
    if fmt == "terminal":
        render_terminal(d)
        return None
    if fmt == "markdown":
        return render_markdown(d)
    if fmt == "html":
        return render_html(d)
    if fmt == "json":
        return d.to_json(indent=2)
    from armatlas.errors import QueryError

    raise QueryError(f"Unknown format {fmt!r}", value=fmt, hint=f"Use one of {', '.join(FORMATS)}.")
