"""/docs: Swagger UI 5 from the fastapi-offline package (no CDN at run time). Swagger UI 3 (the old
swagger-ui-bundle package) cannot read the OpenAPI 3.1 FastAPI emits and showed no operation."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = files("fastapi_offline") / "static"  # swagger-ui-bundle.js, swagger-ui.css, favicon.png


def mount(app: FastAPI) -> None:
    app.mount("/docs-static", StaticFiles(directory=str(STATIC)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title=f"{app.title} - API",
            swagger_js_url="/docs-static/swagger-ui-bundle.js", swagger_css_url="/docs-static/swagger-ui.css",
            swagger_favicon_url="/docs-static/favicon.png",
        )
