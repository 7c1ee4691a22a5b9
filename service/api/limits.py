"""Request body size limit (BULLETINS_MAX_BODY_BYTES): a 413 with a message instead of reading, parsing and
answering whatever arrives. Checked when the route starts reading the body, so the declared Content-Length
is refused before a byte is read, and a body without one (chunked) is counted as it streams in.

Routes that take multipart/form-data (file uploads) are exempt: they bound their own file size, and the
form parser spools files to disk. Multipart sent to a JSON route is held to the limit like any body."""

from __future__ import annotations

from fastapi import HTTPException, params
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import error_response


class BodyTooLarge(HTTPException):
    pass


def describe(n: int) -> str:
    return f"{n // 1048576} MiB" if n and n % 1048576 == 0 else f"{n} bytes"


def _takes_uploads(scope: Scope) -> bool:
    """A route with a Form body, or one that reads its own form and documents a multipart request body
    (POST /documents)."""
    route = scope.get("route")  # set by the router before the endpoint reads the body
    field = getattr(route, "body_field", None)
    if field is not None and isinstance(field.field_info, params.Form):
        return True
    body = (getattr(route, "openapi_extra", None) or {}).get("requestBody") or {}
    return "multipart/form-data" in (body.get("content") or {})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes  # 0: no limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.max_bytes:
            await self.app(scope, receive, send)
            return
        limit, received, started = self.max_bytes, 0, False
        active: bool | None = None  # decided at the first read, once the route is known
        too_large = BodyTooLarge(
            413, detail=f"request body is over the {describe(limit)} limit; send a shorter question, fewer "
            "messages or fewer filter values (the server's limit is BULLETINS_MAX_BODY_BYTES)",
        )

        async def limited() -> Message:
            nonlocal received, active
            if active is None:
                active = not _takes_uploads(scope)
                declared = _content_length(scope)
                if active and declared is not None and declared > limit:
                    raise too_large  # refused before a byte is read
            message = await receive()
            if active and message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise too_large
            return message

        async def tracking(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited, tracking)
        except BodyTooLarge as exc:
            # FastAPI's routes turn it into a response through the exception handlers; anything else that
            # read the body lets it through to here
            if started:
                raise
            await error_response(scope.get("path", ""), 413, exc.detail)(scope, receive, send)
