"""The FastAPI app: chat, documents, OpenAI-compatible API, health, and the staff page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from service.api import chat_router, documents_router, errors, openai_router
from service.api.answer_pool import AnswerPool
from service.api.docs import mount as mount_docs
from service.api.limits import BodyLimit
from service.chat.service import ChatService
from service.engine import Engine
from service.settings import Settings, get_settings

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


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
        docs_url=None,  # served by service/api/docs.py from a package: no CDN at run time
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

    errors.install(app)  # {"detail"} here, OpenAI's {"error"} under /v1
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)

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
    mount_docs(app)
    return app
