"""The read-only HTTP API (FastAPI): a thin adapter over Atlas; importing armatlas never loads it."""

from armatlas.api.app import create_app

__all__ = ["create_app"]
