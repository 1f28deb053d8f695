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
        public: bool = typer.Option(
            False,
            "--public",
            help="Allow a --host beyond loopback (reachable from "
            "other machines; there is no authentication).",
        ),
        cors: list[str] = typer.Option(
            [], "--cors-origin", help="Allow cross-origin reads from this origin (repeat)."
        ),
        timeout: float = typer.Option(
            10.0, min=0.1, help="Seconds one request may take (queue and queries)."
        ),
        workers: int = typer.Option(
            0, min=0, max=64, help="Analyses run at once (0: one per core); the rest queue."
        ),
    ) -> None:
        """Serve the read-only HTTP API (/api/v1) and the web dashboard."""
        from armatlas.errors import QueryError
        from armatlas.serve import bind, create_app, is_loopback, run

        if not is_loopback(host):
            if not public:
                raise QueryError(
                    f"--host {host} would serve beyond this machine",
                    value=host,
                    hint="Add --public if you mean it (the server has no authentication), "
                    "or use --host 127.0.0.1.",
                )
            typer.secho(
                f"warning: serving on {host}: reachable from other machines, with no authentication",
                err=True,
                fg="yellow",
            )
        app_ = create_app(
            None, cors_origins=cors or None, timeout=timeout, slots=workers or None
        )  # fails if no store
        try:
            sock = bind(host, port)
        except OSError as exc:
            app_.state.armatlas.close()
            raise QueryError(
                f"Cannot listen on {host}:{port}: {exc.strerror or exc}",
                value=f"{host}:{port}",
                hint="Pick another --port, or stop what is using this one.",
            ) from None
        shown = f"[{host}]" if ":" in host else host

        def ready() -> None:
            typer.echo(
                f"armatlas dashboard on http://{shown}:{port}/  (API: /api/v1, schema: /api/v1/openapi.json)"
            )

        run(app_, sock, ready)

    @app.command()
    def report(
        country: str = typer.Argument(..., help="Country name, alias or ISO3 code."),
        fmt: str = typer.Option("html", "--format", "-f", help="html or pdf."),
        output: Path | None = typer.Option(
            None, "--output", "-o", help="File to write; default <country>.<format>."
        ),
        period: str | None = typer.Option(None, help="Latest period, e.g. 2020-2024."),
        release: str | None = typer.Option(None, help="Release (default: newest)."),
    ) -> None:
        """Write a self-contained country report with charts and a provenance footer."""
        from armatlas.atlas import open_atlas
        from armatlas.report import write_report

        with open_atlas() as atlas:
            path = write_report(atlas, country, fmt, output, period=period, release=release)  # type: ignore[arg-type]
        typer.echo(f"wrote {path}")
