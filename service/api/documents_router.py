"""Document routes: list, upload, remove, one bulletin's text and articles, its summary, its figure facts,
key figures as CSV, digest."""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile  # what request.form() gives (FastAPI's is a subclass)

from service.api.deps import get_engine, require_key
from service.api.errors import SERVICE_ERRORS
from service.engine import Engine
from service.facts.service import DocumentFigures, document_figures
from vectorstore.reading import FileTooLarge, ReadError, UnsupportedFile, too_large

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


FORM_OVERHEAD = 64 * 1024  # multipart boundaries and part headers around the file
CURL = "e.g. curl -F file=@修武县通报.txt http://127.0.0.1:8000/documents"
UPLOAD_BODY = {"requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {"file": {
        "type": "string", "format": "binary",
        "description": "a bulletin (.txt .md .html .pdf .docx; GBK/UTF-8/UTF-16); its name without the suffix "
                       "is the doc id, so uploading the same name again updates it"}}}}}}}


@router.post(
    "/documents", status_code=201, openapi_extra=UPLOAD_BODY,
    summary="Ingest an uploaded bulletin: 201 added; 200 updated or unchanged (same name, same text)",
    responses={200: {"description": "updated or unchanged"}, 413: {"description": "over BULLETINS_MAX_FILE_MB"},
               415: {"description": "not a supported file type"}, 422: {"description": "no usable text"}},
)
async def upload(request: Request, response: Response, engine: Engine = Depends(get_engine)) -> dict:
    # Checked before the body is read: a huge upload is refused, not spooled to disk first.
    limit = int(engine.settings.max_file_mb * 2**20)
    length = request.headers.get("content-length", "")
    if not length.isdigit():
        raise HTTPException(411, detail=f"send the file with a Content-Length header ({CURL})")
    if int(length) > limit + FORM_OVERHEAD:
        raise HTTPException(413, detail=str(too_large("the upload", int(length), limit)))
    kind = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if kind not in ("multipart/form-data", "application/x-www-form-urlencoded"):
        raise HTTPException(415, detail=f"send multipart/form-data with the bulletin in a part named 'file' ({CURL})")
    form = await request.form(max_files=1, max_fields=10)
    file = form.get("file")
    if file is None:
        raise HTTPException(422, detail=f"no file part named 'file' in the form ({CURL})")
    # A part without a file name arrives as a plain string.
    name = PurePosixPath((file.filename or "").replace("\\", "/")).name if isinstance(file, UploadFile) else ""
    if not Path(name).stem or name.startswith("."):  # never a path from the client, never a hidden name
        raise HTTPException(422, detail="the upload needs a file name like 修武县通报.txt (without its suffix it "
                            "becomes the doc id)")
    data = await file.read(limit + 1)  # one byte over is enough to refuse it
    try:
        doc_id, status = await run_in_threadpool(engine.ingest_upload, name, data)
    except FileTooLarge as exc:
        raise HTTPException(413, detail=str(exc)) from exc
    except UnsupportedFile as exc:
        raise HTTPException(415, detail=str(exc)) from exc
    except ReadError as exc:
        raise HTTPException(422, detail=str(exc)) from exc
    if status != "added":
        response.status_code = 200
    response.headers["Location"] = f"/documents/{quote(doc_id)}"  # headers are latin-1: 修武县 is escaped
    row = engine.catalog.document(doc_id)
    return {
        "doc_id": doc_id, "status": status, "title": row["title"], "encoding": row["encoding"],
        "sha256": row["sha256"], "characters": len(row["original"]), "articles": len(engine.catalog.articles(doc_id)),
        "chunks": len(engine.catalog.chunks(doc_id)),
    }


@router.delete("/documents/{doc_id}", status_code=204, response_class=Response,
               summary="Remove a bulletin from the index (and its summary); 404 when there is none")
def delete(doc_id: str, engine: Engine = Depends(get_engine)) -> Response:
    if not engine.remove(doc_id):
        raise _not_found(doc_id)
    return Response(status_code=204)


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


@router.get("/documents/{doc_id}/figures",
            summary="Every figure of a bulletin as read at ingest: metric, place, time, quote and offsets")
def figures(doc_id: str, key: bool = False, engine: Engine = Depends(get_engine)) -> DocumentFigures:
    """`?key=true`: only the rows of the key-figures table."""
    out = document_figures(engine, doc_id, key_only=key)
    if out is None:
        raise _not_found(doc_id)
    return out


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
