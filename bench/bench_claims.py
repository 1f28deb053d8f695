"""Claim-checker speed and stability.

Run: .venv/bin/python bench/bench_claims.py [STORE]
Without STORE, uses $ARMATLAS_HOME/armatlas.duckdb.
- speed: extraction and full check of a ~160 KB input (the sample articles repeated), as a ratio
  to the longest single article measured in the same run, and the absolute time (target < 2 s);
- stability: the ten dev articles concatenated (headers included) give every article's claims
  the same kinds, values and periods as each article checked alone (target: 0 differences).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared"))
TARGET_S = 2.0


def _key(c: dict) -> tuple:
    return (
        c["kind"],
        tuple(c["subject"]),
        c["partner"] or "",
        -1.0 if c["value"] is None else c["value"],
        tuple(c["periods"]),
        c["sentence"],
    )


def stability() -> int:
    from armatlas.claims import extract_claims, parse_article

    files = sorted((SHARED / "articles" / "dev").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8").strip() for f in files]
    alone = [sorted(_key(c.to_dict()) for c in extract_claims(parse_article(t))[0]) for t in texts]
    joined = sorted(_key(c.to_dict()) for c in extract_claims(parse_article("\n\n".join(texts)))[0])
    want = sorted(k for a in alone for k in a)
    missing = [k for k in want if k not in joined]
    extra = [k for k in joined if k not in want]
    for k in missing[:10]:
        print("  alone only:", k[:5], k[5][:70])
    for k in extra[:10]:
        print("  joined only:", k[:5], k[5][:70])
    print(
        f"stability: {len(want)} claims alone, {len(joined)} concatenated, "
        f"{len(missing)} differ {'OK' if not missing and not extra else 'DIFF'}"
    )
    return len(missing) + len(extra)


def speed(store: Path) -> None:
    import duckdb

    from armatlas.claims import check_article, extract_claims, parse_article

    con = duckdb.connect(str(store), read_only=True)
    files = sorted((SHARED / "articles").glob("*.txt")) + sorted((SHARED / "articles" / "dev").glob("*.txt"))
    texts = [f.read_text(encoding="utf-8").strip() for f in files]
    longest = max(texts, key=len)
    big = ""
    while len(big.encode()) < 160_000:
        big += "\n\n".join(texts) + "\n\n"
    small_art, big_art = parse_article(longest), parse_article(big)
    check_article(con, small_art)  # warm: contexts, lexicon, DuckDB caches
    for label, fn in (("extraction", extract_claims), ("full check", lambda a: check_article(con, a))):
        t = time.perf_counter()
        fn(small_art)
        t_small = time.perf_counter() - t
        t = time.perf_counter()
        fn(big_art)
        t_big = time.perf_counter() - t
        ok = "OK" if t_big < TARGET_S or label == "extraction" else "SLOW"
        print(
            f"{label}: {len(big.encode()) / 1000:.0f} KB in {t_big:.2f} s; longest article "
            f"({len(longest.encode()) / 1000:.1f} KB) {t_small * 1000:.0f} ms; ratio {t_big / max(t_small, 1e-9):.1f}x {ok}"
        )


def main() -> None:
    store = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(os.environ.get("ARMATLAS_HOME", "~/.armatlas")).expanduser() / "armatlas.duckdb"
    )
    stability()
    speed(store)


if __name__ == "__main__":
    main()
