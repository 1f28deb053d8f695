"""Claim-checker accuracy on hand-annotated articles: extraction precision/recall per claim type,
verdict accuracy on the release nearest each article and on the newest, and red verdicts on
statements that were right in the edition their author could have seen.

Run: .venv/bin/python bench/bench_claims_eval.py [STORE] [--annotations PATH] [--verbose]
Without STORE, uses $ARMATLAS_HOME/armatlas.duckdb. Reads ../shared/articles/dev/annotations.json
(or $ARMATLAS_SHARED/articles/dev/annotations.json); `--annotations bench/heldout/annotations.json`
measures the held-out set, whose articles carry their quoted sentences (one paragraph each) instead
of a file. Annotated claims are matched to extracted
claims by kind and by overlap with the annotation's verbatim quote (or, in the quote's sentence,
by the stated value). A claim of an annotated kind that matches nothing counts against precision.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARMATLAS_SHARED", REPO.parent / "shared"))
NEWEST = "2026-05-18"
# Extracted kinds that never count as a claim reading (listed for the reader, not checked claims).
NOT_CLAIMS = {"out_of_scope", "unchecked"}


def _quote_span(body: str, quote: str) -> tuple[int, int] | None:
    norm = body.replace("’", "'")
    i = norm.find(quote.replace("’", "'"))
    return (i, i + len(quote)) if i >= 0 else None


def _match(ann: list[dict], got: list[dict], body: str, sents: list[tuple[int, int]]) -> dict[int, int]:
    """annotation index -> extracted index, one to one, overlap with the quote first."""
    out: dict[int, int] = {}
    used: set[int] = set()
    for pass_ in (0, 1):
        for ai, a in enumerate(ann):
            if ai in out:
                continue
            q = _quote_span(body, a["quote"])
            if q is None:
                continue
            sent = next(((s, e) for s, e in sents if s <= q[0] < e), q)
            best = None
            for gi, g in enumerate(got):
                if gi in used or g["kind"] != a["type"]:
                    continue
                s, e = g["span"]
                if pass_ == 0 and s < q[1] and q[0] < e:
                    best = gi if best is None or _close(g, a) else best
                    if _close(g, a):
                        break
                elif pass_ == 1 and sent[0] <= s < sent[1] and _close(g, a):
                    best = gi
                    break
            if best is not None:
                out[ai] = best
                used.add(best)
    return out


def _close(g: dict, a: dict) -> bool:
    gv, av = g.get("value"), a.get("value")
    if gv is None or av is None:
        return gv is None and av is None
    return abs(float(gv) - float(av)) < 0.51


def evaluate(store: Path, ann_path: Path, verbose: bool = False) -> dict[str, Any]:
    import duckdb

    from armatlas.claims import check_article, parse_article, read_article
    from armatlas.claims.sentences import split_sentences

    data = json.loads(ann_path.read_text(encoding="utf-8"))
    con = duckdb.connect(str(store), read_only=True)
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    verdicts: dict[str, Counter[str]] = {"nearest": Counter(), "default": Counter(), "author": Counter()}
    red_on_right: list[str] = []
    misses: list[str] = []
    false_pos: list[str] = []
    wrong: list[str] = []
    t0 = time.perf_counter()
    for art in data["articles"]:
        if "sentences" in art:  # a held-out page stored as its quoted sentences, not as a file
            head = f"Title: {art['title']}\nSource: {art['source']}\nPublished: {art['published']}\n\n"
            article = parse_article(head + "\n\n".join(art["sentences"]), art["source"])
        else:
            article = read_article(str(ann_path.parent / art["article"]))
        body = article.body
        sents = [(s.start, s.end) for s in split_sentences(body)]
        ann = art["claims"]
        kinds = {a["type"] for a in ann}
        runs = {
            "default": check_article(con, article, release=NEWEST).to_dict(),
            "nearest": check_article(con, article, release=art["nearest_release"]).to_dict(),
            "author": check_article(con, article).to_dict(),
        }
        got = runs["default"]["claims"]
        got_claims = [g for g in got if g["kind"] not in NOT_CLAIMS]
        m = _match(ann, got_claims, body, sents)
        for ai, a in enumerate(ann):
            if ai in m:
                tp[a["type"]] += 1
            else:
                fn[a["type"]] += 1
                misses.append(f"{a['id']} {a['type']}: {a['quote']!r}")
        matched = set(m.values())
        for gi, g in enumerate(got_claims):
            if gi not in matched:
                fp[g["kind"]] += 1
                false_pos.append(
                    f"{art['article']} s{g['sentence_index']} {g['kind']} {g.get('value')}: {g['text']!r}"
                    + ("" if g["kind"] in kinds else " (kind not annotated here)")
                )
        for mode in ("nearest", "default", "author"):
            mclaims = [g for g in runs[mode]["claims"] if g["kind"] not in NOT_CLAIMS]
            mm = _match(ann, mclaims, body, sents)
            for ai, gi in mm.items():
                a, g = ann[ai], mclaims[gi]
                key = "nearest" if mode == "author" else mode
                want = a.get("answers", {}).get(key, {}).get("acceptable_verdicts")
                if not want:
                    continue
                v = g["verdict"]
                if mode == "author":
                    if a["answers"]["nearest"]["expected_verdict"] == "consistent" and v == "inconsistent":
                        red_on_right.append(f"{a['id']}: {a['quote']!r}")
                    if v.startswith("consistent"):
                        v = "consistent"
                    if a["answers"]["nearest"]["expected_verdict"] == "not checkable":
                        continue  # the author's edition lacked the period; the checker may use a later one
                verdicts[mode]["total"] += 1
                if v in want:
                    verdicts[mode]["ok"] += 1
                else:
                    wrong.append(
                        f"[{mode}] {a['id']} {a['type']} want {want} got {v} "
                        f"(data {g.get('computed')}, annotated {a['answers'][key]['computed']}): {a['quote']!r}"
                    )
    elapsed = time.perf_counter() - t0
    n_tp, n_fn, n_fp = sum(tp.values()), sum(fn.values()), sum(fp.values())
    per_type = {
        k: {
            "annotated": tp[k] + fn[k],
            "found": tp[k],
            "false_pos": fp[k],
            "recall": round(tp[k] / (tp[k] + fn[k]), 3) if tp[k] + fn[k] else None,
            "precision": round(tp[k] / (tp[k] + fp[k]), 3) if tp[k] + fp[k] else None,
        }
        for k in sorted(set(tp) | set(fn) | set(fp))
    }
    res = {
        "recall": round(n_tp / (n_tp + n_fn), 3),
        "precision": round(n_tp / (n_tp + n_fp), 3) if n_tp + n_fp else None,
        "verdict_accuracy": {
            k: round(v["ok"] / v["total"], 3) if v["total"] else None for k, v in verdicts.items()
        },
        "verdicts_checked": {k: v["total"] for k, v in verdicts.items()},
        "red_on_right_in_author_edition": len(red_on_right),
        "per_type": per_type,
        "seconds": round(elapsed, 1),
    }
    if verbose:
        res.update(misses=misses, false_positives=false_pos, wrong_verdicts=wrong, red_on_right=red_on_right)
    return res


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "store",
        nargs="?",
        default=str(Path(os.environ.get("ARMATLAS_HOME", "~/.armatlas")).expanduser() / "armatlas.duckdb"),
    )
    ap.add_argument("--annotations", default=str(SHARED / "articles" / "dev" / "annotations.json"))
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    res = evaluate(Path(args.store), Path(args.annotations), args.verbose)
    for key in ("misses", "false_positives", "wrong_verdicts", "red_on_right"):
        for line in res.pop(key, []):
            print(f"{key[:-1] if key.endswith('s') else key}: {line}")
    print(json.dumps(res, indent=1))


if __name__ == "__main__":
    main()
