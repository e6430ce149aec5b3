"""One error shape everywhere: {"error": {"code", "message", "details"?}} with stable codes."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.redaction import redact_path
from api.schemas import ErrorResponse

log = logging.getLogger(__name__)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.details, self.headers = details, headers or {}


class ModelUnavailable(ApiError):
    def __init__(self, message: str = "The language model is unavailable; please retry shortly."):
        super().__init__(503, "LLM_UNAVAILABLE", message, headers={"Retry-After": "10"})


class DatabaseUnavailable(ApiError):
    def __init__(self, message: str = "The database is unavailable; please retry shortly."):
        super().__init__(503, "DATABASE_UNAVAILABLE", message, headers={"Retry-After": "5"})


def error_body(code: str, message: str, details=None) -> dict:
    error = {"code": code, "message": message}
    if details is not None:
        error["details"] = details
    return {"error": error}


def error_response(status: int, code: str, message: str, details=None, headers=None):
    return JSONResponse(
        status_code=status, content=error_body(code, message, details), headers=headers
    )


HTTP_CODES = {
    400: "VALIDATION_ERROR",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
}

ERROR_DESCRIPTIONS = {
    404: "Not found (SESSION_NOT_FOUND)",
    409: "Another turn on this session is still running (SESSION_BUSY)",
    413: "Body too large (PAYLOAD_TOO_LARGE)",
    422: "Invalid request (VALIDATION_ERROR)",
    429: "Too many requests (RATE_LIMITED)",
    500: "Unexpected error (INTERNAL_ERROR)",
    503: "Starting, or a dependency is down (STARTING, LLM_UNAVAILABLE, DATABASE_UNAVAILABLE)",
}


def error_responses(*statuses: int) -> dict:
    """The error statuses a route can answer, documented with the one error shape."""
    return {
        status: {"model": ErrorResponse, "description": ERROR_DESCRIPTIONS[status]}
        for status in statuses
    }


# What a route that takes a JSON body can answer besides success.
ERROR_RESPONSES = error_responses(413, 422, 429, 500, 503)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError):
        return error_response(error.status, error.code, error.message, error.details, error.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError):
        details = [
            {
                "field": ".".join(str(part) for part in item.get("loc", ()) if part != "body"),
                "message": item.get("msg", "invalid"),
            }
            for item in error.errors()
        ]
        first = details[0] if details else {"field": "body", "message": "invalid"}
        message = f"{first['field'] or 'body'}: {first['message']}"
        return error_response(422, "VALIDATION_ERROR", message, details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException):
        code = HTTP_CODES.get(error.status_code, "HTTP_ERROR")
        message = error.detail if isinstance(error.detail, str) else "request failed"
        return error_response(
            error.status_code, code, message, headers=getattr(error, "headers", None)
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception):
        log.exception("unhandled error on %s %s", request.method, redact_path(request.url.path))
        return error_response(500, "INTERNAL_ERROR", "Something went wrong on our side.")
