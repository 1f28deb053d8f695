"""What every interface shows alike: Vega-Lite chart specs, number formats, method notes and the
shared report/page template sections. Depends on results only (never on web, api, report or cli),
so each interface can use it without loading another.
"""

from __future__ import annotations

from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"
