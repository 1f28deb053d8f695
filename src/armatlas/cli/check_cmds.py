"""Publish and share: `armatlas check ARTICLE`, the claim checker as a thin adapter over Atlas."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from armatlas.cli.options import CSV, JSON, atlas
from armatlas.errors import EncodingError

if TYPE_CHECKING:
    from armatlas.claims import Article, Dossier
    from armatlas.results import TableResult

# Articles saved from Windows tools come as cp1252 (curly quotes 0x92, en dash 0x96); these are
# tried in order and the first that decodes without error wins. latin-1 decodes anything, so it
# is not in the list: a file in neither is an error, not mojibake.
ARTICLE_ENCODINGS = ("utf-8-sig", "cp1252")


def read_article_text(path: Path) -> str:
    """The text of a local article file in UTF-8 or Windows-1252."""
    data = path.read_bytes()
    for enc in ARTICLE_ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError as exc:
            last = exc
    raise EncodingError(
        f"The article is neither UTF-8 nor Windows-1252 text (byte {last.start})",
        file=path,
        value=data[last.start : last.start + 1].hex(),
        hint="Save the article as UTF-8 text and check it again.",
    )


def load_article(location: str) -> Article:
    """A local file (UTF-8 or cp1252), '-' for standard input, or an http(s) URL."""
    from armatlas.claims import parse_article, read_article

    path = Path(location)
    if location != "-" and path.is_file():
        return parse_article(read_article_text(path), str(path))
    return read_article(location)


def dossier_table(dossier: Dossier) -> TableResult:
    """One row per claim: the sentence, what it claims, what the data say, the verdict and why."""
    import pyarrow as pa

    from armatlas import columnar
    from armatlas.results import TableResult

    rows = [
        {
            "sentence": c.claim.sentence_index,
            "text": c.claim.text,
            "kind": c.claim.kind,
            "subject": "; ".join(c.claim.subject),
            "partner": c.claim.partner,
            "direction": c.claim.direction,
            "periods": "; ".join(p.label for p in c.claim.periods),
            "relation": c.claim.relation,
            "claimed": c.claim.value,
            "computed": c.evidence.computed,
            "verdict": c.verdict.verdict,
            "why": c.verdict.explanation,
        }
        for c in dossier.claims
    ]
    types = {"sentence": pa.int64(), "claimed": pa.float64(), "computed": pa.float64()}
    schema = pa.schema(
        [
            (k, types.get(k, pa.string()))
            for k in (
                "sentence",
                "text",
                "kind",
                "subject",
                "partner",
                "direction",
                "periods",
                "relation",
                "claimed",
                "computed",
                "verdict",
                "why",
            )
        ]
    )
    units = {k: "per cent (36.0 = 36%), per-cent change or rank, by kind" for k in ("claimed", "computed")}
    return TableResult(
        "claim_check",
        columnar.from_rows(rows, schema=schema),
        dossier.provenance,
        params={"release": dossier.provenance.release},
        units=units,
        warnings=list(dossier.notes),
    )


def show_dossier(d: Dossier) -> None:
    """Terminal view: what was checked against which release, one row per claim, the notes."""
    from armatlas.cli.render import console, print_table

    a = d.article

    def say(text: str) -> None:
        console.print(text, highlight=False, markup=False)  # article text is not markup

    say(f"{a.title or a.location} ({a.source or 'no source'}, {a.published_label or 'undated'})")
    say(
        f"release {d.provenance.release}; article period {d.article_period or '-'}; "
        f"main country {d.main_entity or '-'}"
    )
    if d.release_choice:
        say(f"release chosen: {d.release_choice}")
    print_table(dossier_table(d), title="Claims")
    say("verdicts: " + ", ".join(f"{k} {v}" for k, v in d.counts().items()))
    for n in d.notes:
        say(f"note: {n}")
    say(d.provenance.citation())


def check(
    article: str = typer.Argument(..., help="Article: a text file, '-' for standard input, or a URL."),
    release: str | None = typer.Option(
        None,
        "--release",
        "-r",
        help="By default each claim is checked on the edition its author could have seen and on the newest; give a release id, 'newest', or 'nearest' (latest generated on or before the article) to use one release.",
    ),
    fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, markdown, html or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the dossier to this file."),
    share_pp: float = typer.Option(1.5, "--share-tolerance", help="Tolerance for shares, percentage points."),
    change_pp: float = typer.Option(5.0, "--change-tolerance", help="Tolerance for % changes, points."),
    as_json: bool = JSON,
    as_csv: bool = CSV,
) -> None:
    """Check an article's claims about arms transfers against the data, claim by claim."""
    from armatlas.claims import Tolerances
    from armatlas.claims.dossier import FORMATS, render
    from armatlas.errors import QueryError

    if fmt not in FORMATS:
        raise QueryError(
            f"Unknown dossier format {fmt!r}", value=fmt, hint="One of: " + ", ".join(FORMATS) + "."
        )
    text_in = load_article(article)
    with atlas() as a:
        dossier = a.check(
            text_in, release=release, tolerances=Tolerances(share_pp=share_pp, change_pp=change_pp)
        )
    if as_csv:
        sys.stdout.write(dossier_table(dossier).to_csv())
        return
    if as_json:
        fmt = "json"
    if output is not None and fmt == "terminal":
        fmt = {".md": "markdown", ".html": "html", ".json": "json"}.get(output.suffix, "markdown")
    if fmt == "terminal":
        show_dossier(dossier)
        return
    text = render(dossier, fmt)
    if text is None:
        return
    if output is not None:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {output}", err=True)
    else:
        sys.stdout.write(text + "\n")


def register(app: typer.Typer) -> None:
    """Add the check command to the app."""
    app.command("check")(check)
