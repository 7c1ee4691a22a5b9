"""The FastAPI app: chat, documents, OpenAI-compatible API, health, and the staff page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from service.api import chat_router, documents_router, openai_router
from service.api.answer_pool import AnswerPool
from service.chat.service import ChatService
from service.engine import Engine
from service.settings import Settings, get_settings

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(x) for x in err.get("loc", ()) if x != "body")
        if err.get("type") == "json_invalid":
            return "malformed JSON body: send a JSON object like {\"question\": \"示范区复工了多少家企业？\"}"
        if err.get("type") == "extra_forbidden":
            parts.append(f"unknown field {loc!r}")
        else:
            parts.append(f"{loc or 'body'}: {err.get('msg')}")
    return "; ".join(parts) or "invalid request"


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or Engine(settings)
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Build the BM25 index and load the embedding model now, not on the first staff question.
        if not engine.is_empty():
            engine.search("预热", 1)
        yield
        app.state.answer_pool.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # served below from the swagger-ui-bundle package: no CDN at run time
        redoc_url=None,
        title="Bulletin Q&A",
        version="0.1.0",
        description="Cited, figure-checked answers and summaries over epidemic-control and economic-recovery "
        "bulletins. Every figure is traceable to a quoted span of a bulletin.",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.chat = ChatService(engine)
    app.state.answer_pool = AnswerPool(settings.answer_workers, settings.answer_queue_s)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # One readable sentence in `detail` (the page shows it), the raw errors for machines.
        status = 400 if any(e.get("type") == "json_invalid" for e in exc.errors()) else 422
        return JSONResponse(
            {"detail": _validation_message(exc), "errors": jsonable_errors(exc)}, status_code=status
        )

    @app.get("/healthz", tags=["health"], summary="Liveness and index status (no key needed)")
    async def healthz() -> dict:
        # async and one COUNT: it never waits for a thread, so it answers while every answer worker is busy
        return {"status": "ok", "documents": engine.catalog.document_count(),
                "answerer": "llm" if settings.use_llm else "extractive", "answering": app.state.answer_pool.running}

    app.include_router(chat_router.router)
    app.include_router(documents_router.router)
    app.include_router(openai_router.router)

    @app.get("/", include_in_schema=False)
    def page() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _mount_docs(app)
    return app


def _mount_docs(app: FastAPI) -> None:
    import swagger_ui_bundle
    from fastapi.openapi.docs import get_swagger_ui_html

    app.mount("/docs-static", StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js", swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon-32x32.png",
        )


def jsonable_errors(exc: RequestValidationError) -> list[dict]:
    out = []
    for e in exc.errors():
        out.append({"loc": list(e.get("loc", ())), "msg": str(e.get("msg")), "type": e.get("type")})
    return out
