"""`armatlas review FILE|RELEASE`: every unknown, derived match and finding in one run."""

from __future__ import annotations

from pathlib import Path

import typer

from armatlas import config
from armatlas.cli.render import console


def register(app: typer.Typer) -> None:
    app.command()(review)


def review(
    target: str = typer.Argument(..., help="A SIPRI arms-transfer file, or a stored release."),
    write: bool = typer.Option(
        True, "--write/--no-write", help="Append proposed rows to the overlay in ARMATLAS_HOME/mappings."
    ),
) -> None:
    """List every unknown name, unmapped description, derived match and data-check finding of a
    file or release, with suggestions, and propose overlay rows (a `--strict` ingest accepts them)."""
    from armatlas.store.db import connect
    from armatlas.store.review import review_file, review_release

    path = Path(target)
    store = config.store_path()
    con = connect(store, read_only=True) if store.exists() else None
    try:
        rv = (
            review_file(path, con)
            if path.is_file()
            else review_release(con if con is not None else connect(store, read_only=True), target)
        )
    finally:
        if con is not None:
            con.close()
    derived = [i for i in rv.items if i.derived is not None]
    unknown = [i for i in rv.items if i.derived is None]
    console.print(
        f"[bold]{rv.source}[/bold]: {len(unknown)} unresolved value(s), "
        f"{len(derived)} derived match(es), {len(rv.findings)} data-check finding(s)"
    )
    for title, group in (("Unresolved (quarantined)", unknown), ("Derived by a rule", derived)):
        if group:
            console.print(f"\n[bold]{title}[/bold]")
        for it in group:
            head = f"  {it.kind:<11} {it.value!r}: {it.rows} row(s), {it.tiv:,.1f} TIV"
            if it.derived is not None:
                console.print(f"{head} -> {it.derived!r} by {it.rule}")
            else:
                console.print(
                    head
                    + ("; suggestions: " + "; ".join(it.suggestions) if it.suggestions else "; no suggestion")
                )
    if rv.findings:
        console.print("\n[bold]Data-check findings (quarantined)[/bold]")
        rep = rv.report
        rep.findings = rv.findings
        rep.resolutions = {}
        for line in rep.lines():
            console.print("  " + line, markup=False)
    if write:
        added = rv.write_overlay()
        where = config.home() / "mappings"
        console.print(
            f"\nwrote {', '.join(f'{n} row(s) to {f}' for f, n in added.items()) or 'nothing new'} in {where}"
            + (
                "; rows marked SUGGESTION need checking"
                if any(not i.derived for i in rv.items if i.suggestions)
                else ""
            )
        )
