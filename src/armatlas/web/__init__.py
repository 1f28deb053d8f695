"""The web dashboard: Jinja2 pages and locally bundled Vega-Lite, served by the API's app."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

STATIC = Path(__file__).parent / "static"
TEMPLATES = Path(__file__).parent / "templates"


def mount(app: FastAPI) -> None:
    """Add the pages and /static (StaticFiles refuses paths outside its folder)."""
    from fastapi.staticfiles import StaticFiles

    from armatlas.web.check import router as check_router
    from armatlas.web.deals import router as deals_router
    from armatlas.web.map import router as map_router
    from armatlas.web.pages import router

    app.include_router(router)
    app.include_router(check_router)
    app.include_router(deals_router)
    app.include_router(map_router)
    app.mount("/static", StaticFiles(directory=STATIC, follow_symlink=False), name="static")
