"""Render a dossier: terminal (Rich), Markdown, self-contained HTML with small SVG charts, JSON."""

from __future__ import annotations

import html

from armatlas.claims.check import CheckedClaim, Dossier

FORMATS = ("terminal", "markdown", "html", "json")
_COLOURS = {"consistent": "green", "inconsistent": "red", "not checkable": "yellow", "ambiguous": "magenta"}


def _claimed(c: CheckedClaim) -> str:
    cl = c.claim
    if cl.kind == "out_of_scope":
        return ", ".join(cl.topics)
    if cl.relation == "ordered":
        return "top list: " + ", ".join(cl.subject)
    who = " + ".join(cl.subject) + (f" ← {cl.partner}" if cl.kind == "supplier_share" else
                                    f" → {cl.partner}" if cl.partner else "")
    val = "" if cl.value is None else (f" {cl.value:g}" + ("%" if cl.kind != "rank" else ""))
    rel = {"top_n": " within top", "not_top_n": " not in top", "lt": " <", "gt": " >"}.get(cl.relation, "")
    per = f" ({'→'.join(p.label for p in cl.periods)})" if cl.periods else ""
    return f"{cl.kind} {cl.direction or ''} {who}{rel}{val}{per}".replace("  ", " ")


def _computed(c: CheckedClaim) -> str:
    ev = c.evidence
    if ev.computed is None:
        return "–"
    unit = "" if c.claim.kind in ("rank", "exports_reach") else "%"
    return f"{ev.computed:.1f}{unit}" if unit else f"{ev.computed:g}"


def render_terminal(d: Dossier) -> None:
    """Rich table on stdout."""
    from rich.console import Console
    from rich.table import Table

    con = Console()
    a = d.article
    con.print(f"[bold]{a.title or a.location}[/bold]  ({a.source or ''}, {a.published_label or 'undated'})")
    con.print(f"release {d.provenance.release}; article period {d.article_period}; main country {d.main_entity}")
    if d.release_choice:
        con.print(f"release chosen: {d.release_choice}")
    t = Table(show_lines=True)
    for col, width in (("#", 3), ("sentence", 34), ("claim", 30), ("data", 8), ("verdict", 13), ("why", None)):
        t.add_column(col, overflow="fold", max_width=width)
    for c in d.claims:
        colour = _COLOURS.get(c.verdict.verdict, "white")
        t.add_row(str(c.claim.sentence_index), c.claim.text[:80], _claimed(c), _computed(c),
                  f"[{colour}]{c.verdict.verdict}[/{colour}]", c.verdict.explanation)
    con.print(t)
    con.print(", ".join(f"{k}: {v}" for k, v in d.counts().items()))
    for n in d.notes:
        con.print(f"[dim]note: {n}[/dim]")
    con.print(f"[dim]{d.provenance.citation()}[/dim]")


def render_markdown(d: Dossier) -> str:
    a = d.article
    out = [f"# Claim check: {a.title or a.location}", "",
           f"- Source: {a.source or '–'}; published {a.published_label or 'undated'}",
           f"- Release: {d.provenance.release}; article period {d.article_period}; main country {d.main_entity}",
           *([f"- Release chosen: {d.release_choice}"] if d.release_choice else []),
           "- Verdicts: " + ", ".join(f"{k} {v}" for k, v in d.counts().items()), "",
           "| # | claim | text | data | verdict | why |", "|---|---|---|---|---|---|"]
    for c in d.claims:
        cells = [str(c.claim.sentence_index), _claimed(c), c.claim.text.replace("|", "/")[:120], _computed(c),
                 f"**{c.verdict.verdict}**", c.verdict.explanation.replace("|", "/")]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "## Notes", *[f"- {n}" for n in d.notes],
            *[f"- claim {i}: {n}" for i, c in enumerate(d.claims) for n in c.claim.notes + c.evidence.notes
              if c.claim.kind != "out_of_scope"], "", d.provenance.citation(), ""]
    return "\n".join(out)


def _svg(c: CheckedClaim, source: str) -> str:
    """A small bar chart (the shared Vega-Lite spec rendered to inline SVG) where the claim has a series."""
    if not c.evidence.chart or c.claim.kind == "out_of_scope":
        return ""
    from armatlas.render.charts import evidence_chart
    from armatlas.render.svg import to_svg

    unit = "TIV (m)" if c.claim.kind in ("change", "dependence", "exports_reach") else "%"
    shares = ("supplier_share", "recipient_share", "global_share")
    claimed = c.claim.value if c.claim.value is not None and c.claim.kind in shares else None
    try:
        return to_svg(evidence_chart(c.evidence.chart, unit, source, claimed))
    except ImportError:  # vl-convert is an optional dependency
        return ""


def render_html(d: Dossier) -> str:
    """One self-contained file: inline CSS and SVG, no scripts, no network."""
    a = d.article
    e = html.escape
    rows = []
    for c in d.claims:
        colour = {"green": "#2e7d32", "red": "#c62828", "yellow": "#b58900", "magenta": "#8e24aa"}[
            _COLOURS.get(c.verdict.verdict, "yellow")]
        notes = "".join(f"<li>{e(n)}</li>" for n in c.claim.notes + c.evidence.notes)
        rows.append(f"<tr><td>{c.claim.sentence_index}</td><td>{e(_claimed(c))}</td>"
                    f"<td><q>{e(c.claim.text[:200])}</q></td><td>{e(_computed(c))}</td>"
                    f"<td style='color:{colour};font-weight:bold'>{e(c.verdict.verdict)}</td>"
                    f"<td>{e(c.verdict.explanation)}<ul>{notes}</ul></td><td>{_svg(c, d.provenance.citation())}</td></tr>")
    counts = ", ".join(f"{k}: {v}" for k, v in d.counts().items())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Claim check: {e(a.title or '')}</title>
<style>body{{font-family:system-ui,sans-serif;margin:2em;max-width:1400px}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 6px;vertical-align:top;font-size:13px}}th{{background:#f3f3f3}}
svg{{max-width:320px;height:auto}}</style></head><body>
<h1>Claim check: {e(a.title or a.location or '')}</h1>
<p>{e(a.source or '')} · published {e(a.published_label or 'undated')} · release {e(d.provenance.release)} ·
article period {e(d.article_period or '–')} · {e(counts)}</p>
{f"<p>Release chosen: {e(d.release_choice)}</p>" if d.release_choice else ""}
<table><tr><th>#</th><th>claim</th><th>text</th><th>data</th><th>verdict</th><th>why</th><th>chart</th></tr>
{''.join(rows)}</table>
<h2>Notes</h2><ul>{''.join(f'<li>{e(n)}</li>' for n in d.notes)}</ul>
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
