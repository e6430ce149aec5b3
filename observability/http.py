"""GET /metrics in Prometheus' text format, and the HTTP metrics behind it.

Requests are counted and timed by prometheus-fastapi-instrumentator, labelled by route
template (`/api/sessions/{session_id}`, never the id itself) so the label set stays small.
Lead and pool figures are read from the database at scrape time (observability/database.py).
"""

from __future__ import annotations

import hmac

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from prometheus_fastapi_instrumentator import Instrumentator
from prometheus_fastapi_instrumentator import metrics as http_metrics

from api.errors import error_response
from config.settings import Settings
from observability.database import DatabaseCollector
from observability.metrics import REQUEST_LATENCY_BUCKETS, new_registry

METRICS_PATH = "/metrics"


def install_metrics(app: FastAPI, settings: Settings) -> None:
    """Instrument every request of `app` and serve the figures at /metrics."""
    registry = new_registry()
    database = DatabaseCollector()
    registry.register(database)
    instrumentator = Instrumentator(
        should_group_status_codes=False,
        should_group_untemplated=True,  # unknown paths share one "none" label
        excluded_handlers=[METRICS_PATH],
        registry=registry,
    )
    instrumentator.add(
        http_metrics.requests(metric_namespace="dovvybuddy", registry=registry),
        http_metrics.latency(
            metric_namespace="dovvybuddy",
            should_include_status=True,
            buckets=REQUEST_LATENCY_BUCKETS,
            registry=registry,
        ),
    )
    instrumentator.instrument(app)
    token = settings.metrics_token.get_secret_value() if settings.metrics_token else None

    @app.get(METRICS_PATH, include_in_schema=False)
    async def metrics(request: Request) -> Response:
        if token and not _bearer_matches(request, token):
            return error_response(
                401, "UNAUTHORIZED", "/metrics needs the METRICS_TOKEN bearer token"
            )
        await database.refresh(getattr(request.app.state, "pool", None))
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def _bearer_matches(request: Request, token: str) -> bool:
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip(), token)
