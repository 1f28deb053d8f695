"""`armatlas check ARTICLE`: the claim checker as a thin adapter over armatlas.claims."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the check command to the app."""

    @app.command()
    def check(
        article: str = typer.Argument(..., help="Article: a text file, '-' for standard input, or a URL."),
        release: str | None = typer.Option(None, "--release", "-r", help="Release to check against; newest by default; 'nearest' for the latest generated on or before the article's date."),
        fmt: str = typer.Option("terminal", "--format", "-f", help="terminal, markdown, html or json."),
        output: Path | None = typer.Option(None, "--output", "-o", help="Write the dossier to this file."),
        share_pp: float = typer.Option(1.5, "--share-tolerance", help="Tolerance for shares, percentage points."),
        change_pp: float = typer.Option(5.0, "--change-tolerance", help="Tolerance for % changes, points."),
    ) -> None:
        """Check an article's claims about arms transfers against the data, claim by claim."""
        import sys

        from armatlas import config
        from armatlas.claims import Tolerances, check_article, read_article
        from armatlas.claims.dossier import render
        from armatlas.store.db import connect

        con = connect(config.store_path(), read_only=True)
        try:
            dossier = check_article(con, read_article(article), release=release,
                                    tolerances=Tolerances(share_pp=share_pp, change_pp=change_pp))
        finally:
            con.close()
        if output is not None and fmt == "terminal":
            fmt = {".md": "markdown", ".html": "html", ".json": "json"}.get(output.suffix, "markdown")
        text = render(dossier, fmt)
        if text is None:
            return
        if output is not None:
            output.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {output}", err=True)
        else:
            sys.stdout.write(text + "\n")
