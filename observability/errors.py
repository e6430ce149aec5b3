"""Optional error reports to Sentry, with the diver's words and contact details left out.

On only when SENTRY_DSN is set. A report keeps what an engineer needs to find the fault
(exception type, stack trace without local variables, route, release, and the request id
that api/middleware.py tags) and drops
what a diver typed or gave us: request bodies, cookies, query strings, exception and log
message text, breadcrumb messages and extra data. Any e-mail address that still slips
through is masked.
"""

from __future__ import annotations

import re
from typing import Any

from config.settings import Settings

SCRUBBED = "[scrubbed]"
# Kept so a report can be tied to its log lines and client; nothing else of the headers.
SAFE_HEADERS = {"content-type", "content-length", "user-agent", "x-request-id"}
# Field names whose values never leave the process, wherever they appear.
PRIVATE_KEYS = [
    "message",
    "messages",
    "email",
    "name",
    "phone",
    "data",
    "answer",
    "diver_profile",
    "diverProfile",
    "session_id",
    "sessionId",
]
# A top-level domain of letters: "dovvybuddy@0.1.0" (the release) is no address.
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")


def configure_sentry(settings: Settings, *, transport: Any = None) -> bool:
    """Start the Sentry client when SENTRY_DSN is set; return whether it started.

    `transport` replaces the network sender (the tests pass one that keeps envelopes).
    """
    if not settings.sentry_dsn:
        return False
    import sentry_sdk
    from sentry_sdk.scrubber import DEFAULT_DENYLIST, DEFAULT_PII_DENYLIST, EventScrubber

    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.sentry_environment,
        release=_release(),
        traces_sample_rate=settings.sentry_traces_sample_rate,
        # send_default_pii stays at its default, off (setting it is deprecated in 2.x).
        include_local_variables=False,
        max_request_body_size="never",
        event_scrubber=EventScrubber(
            denylist=[*DEFAULT_DENYLIST, *DEFAULT_PII_DENYLIST, *PRIVATE_KEYS], recursive=True
        ),
        before_send=scrub_event,
        before_send_transaction=scrub_event,
        before_breadcrumb=scrub_breadcrumb,
        transport=transport,
    )
    return True


def scrub_event(event: dict, hint: dict | None = None) -> dict:
    """Strip an event down to what locates a fault; see the module docstring."""
    request = event.get("request")
    if isinstance(request, dict):
        for key in ("data", "cookies", "query_string", "env"):
            request.pop(key, None)
        headers = request.get("headers") or {}
        request["headers"] = {k: v for k, v in headers.items() if k.lower() in SAFE_HEADERS}
        if isinstance(request.get("url"), str):
            request["url"] = request["url"].split("?", 1)[0]
    for exception in (event.get("exception") or {}).get("values") or []:
        if exception.get("value"):
            exception["value"] = SCRUBBED
    if "message" in event:
        event["message"] = SCRUBBED
    logentry = event.get("logentry")
    if isinstance(logentry, dict):
        # The format string is the code's own text; its arguments are the request's.
        logentry.pop("params", None)
        logentry.pop("formatted", None)
    for key in ("extra", "user"):
        event.pop(key, None)
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        scrub_breadcrumb(crumb)
    return _mask_contacts(event)


def scrub_breadcrumb(crumb: dict, hint: dict | None = None) -> dict:
    crumb.pop("data", None)
    if crumb.get("message"):
        crumb["message"] = SCRUBBED
    return crumb


def _mask_contacts(value: Any) -> Any:
    if isinstance(value, str):
        return EMAIL.sub(SCRUBBED, value)
    if isinstance(value, dict):
        return {key: _mask_contacts(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_contacts(item) for item in value]
    return value


def _release() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"dovvybuddy@{version('dovvybuddy')}"
    except PackageNotFoundError:  # a checkout that was never installed
        return "dovvybuddy@0.0.0"
