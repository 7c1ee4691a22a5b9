"""Document routes: list, one bulletin's text and articles, its summary, key figures as CSV, digest."""

from __future__ import annotations

import re
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response

from service.api.deps import get_engine, require_key
from service.api.errors import SERVICE_ERRORS
from service.engine import Engine

router = APIRouter(tags=["documents"], dependencies=[Depends(require_key)], responses=SERVICE_ERRORS)


def attachment(filename: str) -> str:
    """Content-Disposition for a download: headers are latin-1, so the real (often Chinese) name goes in
    RFC 5987's filename*=UTF-8'' and an ASCII-only filename="..." is the fallback for older clients."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_.-") or "download"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _not_found(doc_id: str) -> HTTPException:
    return HTTPException(404, detail=f"no document {doc_id!r}; GET /documents lists what is ingested")


@router.get("/documents", summary="Ingested bulletins")
def documents(engine: Engine = Depends(get_engine)) -> list[dict]:
    return engine.list_documents()


@router.get("/documents/{doc_id}", summary="A bulletin's original text and its articles")
def document(doc_id: str, engine: Engine = Depends(get_engine)) -> dict:
    row = engine.catalog.document(doc_id)
    if row is None or row["status"] != "complete":
        raise _not_found(doc_id)
    return {
        "doc_id": doc_id, "title": row["title"], "path": row["path"], "encoding": row["encoding"],
        "sha256": row["sha256"], "published": row["published"], "original": row["original"],
        "articles": [
            {"index": a.index, "title": a.title, "start": a.start, "end": a.end, "reporter": a.reporter,
             "published": a.published, "places": a.places}
            for a in engine.catalog.articles(doc_id)
        ],
    }


@router.get("/documents/{doc_id}/summary", summary="Summary sentences with citations and the key-figures table")
def summary(doc_id: str, engine: Engine = Depends(get_engine)) -> dict:
    from service.summaries.service import get_summary

    s = get_summary(engine, doc_id)
    if s is None:
        raise _not_found(doc_id)
    return s.model_dump()


@router.get("/documents/{doc_id}/figures.csv", summary="The key-figures table as CSV")
def figures_csv(doc_id: str, engine: Engine = Depends(get_engine)) -> Response:
    from service.summaries.service import get_summary, summary_csv

    s = get_summary(engine, doc_id)
    if s is None:
        raise _not_found(doc_id)
    return Response(
        summary_csv(s).encode("utf-8-sig"),  # BOM so Excel opens the Chinese text correctly
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": attachment(f"{doc_id}-figures.csv")},
    )


@router.get("/digest", summary="What the collection covers; the same metric across bulletins, side by side")
def digest(engine: Engine = Depends(get_engine)) -> dict:
    from service.summaries.service import digest as make_digest

    return make_digest(engine).model_dump()
