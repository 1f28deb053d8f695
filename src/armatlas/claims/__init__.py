"""Claim checker: a news article in, claims with evidence and verdicts out.

from armatlas.claims import read_article, check_article
dossier = check_article(con, read_article("article.txt"), release=None)
"""

from armatlas.claims.article import Article, parse_article, read_article
from armatlas.claims.check import CheckedClaim, Dossier, check_article
from armatlas.claims.extract import Claim, extract_claims
from armatlas.claims.verdict import Tolerances

__all__ = [
    "Article",
    "CheckedClaim",
    "Claim",
    "Dossier",
    "Tolerances",
    "check_article",
    "extract_claims",
    "parse_article",
    "read_article",
]
