"""Cross-cutting HTTP concerns: a request id on every response and log line, JSON logs,
and a cap on request body size."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

import sentry_sdk
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_body
from api.redaction import redact_path

REQUEST_ID_HEADER = "X-Request-Id"
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "request_id", default=None
)
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
access_log = logging.getLogger("dovvybuddy.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with the request id of the request being served.

    `severity` is the field Cloud Logging (and most log routers) read a line's level from;
    `level` stays for anyone already filtering on it.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "severity": record.levelname,
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = request_id_var.get()
        if request_id:
            entry["request_id"] = request_id
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str, fmt: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(
        JsonFormatter()
        if fmt == "json"
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Quiet neighbours: pgserver narrates start-up; httpx logs full URLs (webhook secrets).
    for name, quiet in (
        ("pgserver", logging.WARNING),
        ("httpx", logging.WARNING),
        ("uvicorn.access", logging.WARNING),
    ):
        logging.getLogger(name).setLevel(quiet)


class SessionHeaderMiddleware:
    """Echoes the session a route chose (request.state.session_id) in a response header.

    A plain ASGI middleware on purpose: Starlette's @app.middleware("http") would pipe every
    chunk of a streamed answer through a task group and a memory stream."""

    def __init__(self, app: ASGIApp, header: str) -> None:
        self.app = app
        self.header = header.lower().encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Request.state writes into scope["state"], the dict shared down the stack.
                session_id = scope.get("state", {}).get("session_id")
                if session_id:
                    headers = [
                        (k, v) for k, v in message.get("headers", []) if k.lower() != self.header
                    ]
                    message["headers"] = [*headers, (self.header, str(session_id).encode())]
            await send(message)

        await self.app(scope, receive, send_with_session)


class RequestContextMiddleware:
    """Request id (the client's X-Request-Id if sane, else new), access log, body limit."""

    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode().lower(): v.decode("latin-1") for k, v in scope["headers"]}
        given = headers.get(REQUEST_ID_HEADER.lower(), "")
        request_id = given if _CLIENT_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        sentry_sdk.set_tag("request_id", request_id)  # ties an error report to its log lines
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [
                    *message["headers"],
                    (REQUEST_ID_HEADER.encode(), request_id.encode()),
                ]
            await send(message)

        try:
            declared = headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > self.max_body_bytes:
                await self._too_large(send_with_id)
                return
            received = 0

            async def limited_receive() -> Message:
                nonlocal received
                message = await receive()
                if message["type"] == "http.request":
                    received += len(message.get("body", b""))
                    if received > self.max_body_bytes:
                        raise _BodyTooLarge
                return message

            try:
                await self.app(scope, limited_receive, send_with_id)
            except _BodyTooLarge:
                await self._too_large(send_with_id)
        finally:
            path = redact_path(scope["path"])
            access_log.info(
                "%s %s %s",
                scope["method"],
                path,
                status,
                extra={
                    "method": scope["method"],
                    "path": path,
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            request_id_var.reset(token)

    async def _too_large(self, send: Send) -> None:
        body = json.dumps(
            error_body("PAYLOAD_TOO_LARGE", f"request body exceeds {self.max_body_bytes} bytes")
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class _BodyTooLarge(Exception):
    pass
