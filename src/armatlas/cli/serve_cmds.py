"""`armatlas serve` (the API and dashboard) and `armatlas report COUNTRY` (HTML or PDF)."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the serve and report commands to the CLI app (called from cli/main.py)."""

    @app.command()
    def serve(
        host: str = typer.Option("127.0.0.1", help="Address to listen on (loopback by default)."),
        port: int = typer.Option(8000, min=1, max=65535, help="TCP port."),
        cors: list[str] = typer.Option([], "--cors-origin", help="Allow cross-origin reads from this origin (repeat)."),
        timeout: float = typer.Option(10.0, min=0.1, help="Seconds one request may take before it is stopped."),
    ) -> None:
        """Serve the read-only HTTP API (/api/v1) and the web dashboard."""
        import uvicorn

        from armatlas.serve import create_app

        app_ = create_app(None, cors_origins=cors or None, timeout=timeout)  # fails here if no store
        typer.echo(f"armatlas dashboard on http://{host}:{port}/  (API: /api/v1, schema: /api/v1/openapi.json)")
        uvicorn.run(app_, host=host, port=port, log_level="warning", limit_concurrency=256,
                    h11_max_incomplete_event_size=16 * 1024)

    @app.command()
    def report(
        country: str = typer.Argument(..., help="Country name, alias or ISO3 code."),
        fmt: str = typer.Option("html", "--format", "-f", help="html or pdf."),
        output: Path | None = typer.Option(None, "--output", "-o", help="File to write; default <country>.<format>."),
        period: str | None = typer.Option(None, help="Latest period, e.g. 2020-2024."),
        release: str | None = typer.Option(None, help="Release (default: newest)."),
    ) -> None:
        """Write a self-contained country report with charts and a provenance footer."""
        from armatlas.atlas import open_atlas
        from armatlas.report import write_report

        with open_atlas() as atlas:
            path = write_report(atlas, country, fmt, output, period=period, release=release)  # type: ignore[arg-type]
        typer.echo(f"wrote {path}")
