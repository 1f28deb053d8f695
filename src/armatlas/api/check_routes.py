"""POST /api/v1/check: the claim checker over the server's store (the only endpoint with a body)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from armatlas.api.models import ERRORS, Dossier
from armatlas.api.render import JSON_TYPE, state_of
from armatlas.limits import MAX_ARTICLE


class CheckRequest(BaseModel):
    """An article: optional Title:/Source:/Published: header lines, a blank line, then the text."""

    text: str = Field(min_length=1, max_length=MAX_ARTICLE, description="The article text")
    release: str | None = Field(
        None,
        max_length=40,
        description="By default each claim on the edition its author could have seen and on the newest; a release id, 'newest' or 'nearest' for one release",
    )


router = APIRouter(prefix="/api/v1", tags=["claims"], responses=ERRORS)


@router.post(
    "/check",
    response_model=Dossier,
    summary="Check an article's claims against the data (a dossier of verdicts)",
)
async def check(request: Request, body: CheckRequest) -> Response:
    dossier = await state_of(request).run(lambda a: a.check(body.text, release=body.release))
    return Response(dossier.to_json().encode(), media_type=JSON_TYPE)
