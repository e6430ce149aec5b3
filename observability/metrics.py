"""The service's own Prometheus metric families, and the registry /metrics serves.

The families below are process-wide (one server process, one set of counts); each app gets a
registry of its own that holds them beside its HTTP metrics, so building a second app in the
same process (tests, `langgraph dev`) never registers a family twice.
"""

from __future__ import annotations

from prometheus_client import (
    GC_COLLECTOR,
    PLATFORM_COLLECTOR,
    PROCESS_COLLECTOR,
    CollectorRegistry,
    Counter,
    Histogram,
)

# Hosted models answer in 1-5 s; the extractive answerer in milliseconds; 20 s is the timeout.
MODEL_LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60)
# Whole requests: a streamed turn counts until its last event, so the tail reaches a minute.
REQUEST_LATENCY_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 10, 15, 20, 30, 60)

TURNS = Counter(
    "dovvybuddy_turns",
    "Completed chat turns, by the route that answered them.",
    ["route"],
    registry=None,
)
EMERGENCIES = Counter(
    "dovvybuddy_emergencies",
    "Turns the safety gate answered with the emergency reply.",
    registry=None,
)
MODEL_CALLS = Counter(
    "dovvybuddy_model_calls",
    "Chat-model calls started, by provider (google_genai, groq, offline).",
    ["provider"],
    registry=None,
)
MODEL_FAILURES = Counter(
    "dovvybuddy_model_failures",
    "Chat-model calls that failed, by provider and exception type.",
    ["provider", "error"],
    registry=None,
)
MODEL_LATENCY = Histogram(
    "dovvybuddy_model_call_duration_seconds",
    "Duration of chat-model calls, failed ones included, by provider.",
    ["provider"],
    buckets=MODEL_LATENCY_BUCKETS,
    registry=None,
)

PROCESS_WIDE = (TURNS, EMERGENCIES, MODEL_CALLS, MODEL_FAILURES, MODEL_LATENCY)


def new_registry() -> CollectorRegistry:
    """A registry with the service's families and the process's memory, CPU and GC figures."""
    registry = CollectorRegistry(auto_describe=True)
    for collector in (*PROCESS_WIDE, PROCESS_COLLECTOR, PLATFORM_COLLECTOR, GC_COLLECTOR):
        registry.register(collector)
    return registry
