"""Error bodies. The service's own routes answer {"detail": "<one readable sentence>"} (the page shows it; a
422 adds the raw `errors`). Under /v1 the body is OpenAI's {"error": {message, type, param, code}}, so the
openai SDKs and chat front-ends (Open WebUI, LibreChat) show the message instead of a generic failure."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

# OpenAI's `code` for statuses that have one; the type is invalid_request_error below 500, server_error above
OPENAI_CODES = {401: "invalid_api_key", 413: "request_too_large"}


class ErrorDetail(BaseModel):
    detail: str
    errors: list[dict[str, Any]] | None = None  # a 422's raw validation errors: loc, msg, type


class OpenAIErrorInfo(BaseModel):
    message: str
    type: str
    param: str | None
    code: str | None


class OpenAIErrorBody(BaseModel):
    error: OpenAIErrorInfo


# `responses=` for the routers, so the OpenAPI document (and /docs) shows the error bodies actually sent
# instead of FastAPI's default 422 schema
SERVICE_ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": ErrorDetail, "description": "Bad request, missing key, not found, too large"},
    "5XX": {"model": ErrorDetail, "description": "Internal error"},
}
OPENAI_ERRORS: dict[int | str, dict[str, Any]] = {
    "4XX": {"model": OpenAIErrorBody, "description": "OpenAI's error shape"},
    "5XX": {"model": OpenAIErrorBody, "description": "OpenAI's error shape"},
}


class OpenAIError(HTTPException):
    """An HTTPException that also carries OpenAI's `param` and `code` (e.g. model_not_found)."""

    def __init__(self, status: int, message: str, *, param: str | None = None, code: str | None = None) -> None:
        super().__init__(status, detail=message)
        self.param, self.code = param, code


def is_openai(path: str) -> bool:
    return path == "/v1" or path.startswith("/v1/")


def safe(text: str) -> str:
    # a lone surrogate echoed from the request (a JSON key, say) would make encoding the error itself fail
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def error_response(path: str, status: int, message: str, *, param: str | None = None, code: str | None = None,
                   headers: dict[str, str] | None = None, errors: list[dict] | None = None) -> JSONResponse:
    if is_openai(path):
        body: dict = {"error": {
            "message": safe(message), "type": "server_error" if status >= 500 else "invalid_request_error",
            "param": param, "code": code or OPENAI_CODES.get(status),
        }}
    else:
        body = {"detail": safe(message), **({"errors": errors} if errors is not None else {})}
    return JSONResponse(body, status_code=status, headers=headers)


def validation_message(exc: RequestValidationError) -> str:
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


def jsonable_errors(exc: RequestValidationError) -> list[dict]:
    return [
        {"loc": [safe(x) if isinstance(x, str) else x for x in e.get("loc", ())], "msg": safe(str(e.get("msg"))),
         "type": e.get("type")}
        for e in exc.errors()
    ]


def _param(exc: RequestValidationError) -> str | None:
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x != "body"]
        if loc:
            return safe(".".join(loc))
    return None


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """Every method the API documents at this path (FastAPI's included routers hide their routes'
    methods from Starlette's router, so the OpenAPI paths are the one full list)."""
    from starlette.routing import compile_path

    methods: set[str] = set()
    for template, ops in app.openapi().get("paths", {}).items():
        if compile_path(template)[0].match(request.url.path):
            methods |= {m.upper() for m in ops if m in ("get", "post", "put", "patch", "delete")}
    return sorted(methods)


def install(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        # One readable sentence (the page shows it); the raw errors for machines.
        status = 400 if any(e.get("type") == "json_invalid" for e in exc.errors()) else 422
        return error_response(request.url.path, status, validation_message(exc), param=_param(exc),
                              errors=jsonable_errors(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 405:
            # Starlette's Allow names the first matching route's methods only: GET and POST /documents are
            # two routes, and a client (or schemathesis) must learn both.
            exc = StarletteHTTPException(405, exc.detail, headers={"Allow": ", ".join(allowed_methods(app, request))})
        if not is_openai(request.url.path):
            return await http_exception_handler(request, exc)
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = f"Invalid URL ({request.method} {request.url.path}); GET /v1/models lists the model"
        elif exc.status_code == 405:
            message = f"{request.method} is not allowed on {request.url.path}"
        return error_response(request.url.path, exc.status_code, message, param=getattr(exc, "param", None),
                              code=getattr(exc, "code", None), headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> JSONResponse:
        # Starlette logs the traceback after this; the client gets JSON it can show, without internals.
        return error_response(request.url.path, 500,
                              f"internal error ({type(exc).__name__}); the server log has the details")
