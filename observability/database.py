"""Figures read from the database and the connection pool when /metrics is scraped.

Leads and their deliveries live in Postgres (store/migrations/versions/0003_*), so their
counts are read there, not counted in one process: every replica reports the same totals,
and a restart loses nothing. The pool's figures show exhaustion before requests fail.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from psycopg.rows import dict_row

log = logging.getLogger(__name__)

# One round trip. Both tables stay small (a lead is a person asking for a shop); should they
# grow, the pending rows have a partial index and the counts can move to a summary table.
LEAD_FIGURES_SQL = """
SELECT
    (SELECT count(*) FROM leads) AS stored,
    count(*) FILTER (WHERE status = 'pending') AS pending,
    count(*) FILTER (WHERE status = 'delivered') AS delivered,
    count(*) FILTER (WHERE status = 'failed') AS failed,
    COALESCE(
        EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0
    )::float8 AS oldest_pending_seconds
FROM lead_outbox
"""
QUERY_TIMEOUT_SECONDS = 2.0

# psycopg_pool.get_stats() keys: (metric suffix, help, is it a running total?)
POOL_FIGURES = {
    "pool_max": ("max", "Largest number of connections the pool may open.", False),
    "pool_size": ("size", "Connections open now, in use or idle.", False),
    "pool_available": ("available", "Idle connections ready to be lent.", False),
    "requests_waiting": ("requests_waiting", "Requests waiting for a connection now.", False),
    "requests_num": ("requests", "Connection requests since start.", True),
    "requests_queued": ("requests_queued", "Requests that had to wait for a connection.", True),
    "requests_errors": (
        "requests_errors",
        "Requests that got no connection in time (answered 503 DATABASE_UNAVAILABLE).",
        True,
    ),
    "requests_wait_ms": ("requests_wait_ms", "Milliseconds spent waiting for connections.", True),
    "connections_errors": ("connection_errors", "Failed attempts to open a connection.", True),
    "connections_lost": ("connections_lost", "Connections found broken and discarded.", True),
}


@dataclass(frozen=True)
class LeadFigures:
    stored: int
    pending: int
    delivered: int
    failed: int
    oldest_pending_seconds: float


class DatabaseCollector(Collector):
    """Reports what `refresh` last read; /metrics refreshes it right before each scrape."""

    def __init__(self) -> None:
        self.leads: LeadFigures | None = None
        self.pool_stats: dict[str, int] | None = None
        self.database_up = False

    async def refresh(self, pool) -> None:
        """Read the pool's figures (no I/O) and the lead tables (one bounded query)."""
        if pool is None:  # still starting: nothing to read yet
            self.pool_stats, self.leads, self.database_up = None, None, False
            return
        self.pool_stats = pool.get_stats()
        try:
            async with asyncio.timeout(QUERY_TIMEOUT_SECONDS):
                async with pool.connection() as conn:
                    # Named columns whatever row factory the pool was given.
                    async with conn.cursor(row_factory=dict_row) as cursor:
                        await cursor.execute(LEAD_FIGURES_SQL)
                        row = await cursor.fetchone()
            self.leads = LeadFigures(**row)
            self.database_up = True
        except Exception as error:  # a scrape must still answer when the database does not
            log.warning("metrics: could not read lead figures (%s)", type(error).__name__)
            self.leads, self.database_up = None, False

    def collect(self):
        yield GaugeMetricFamily(
            "dovvybuddy_database_up",
            "1 when the last scrape could query the database, else 0.",
            value=1 if self.database_up else 0,
        )
        if self.leads is not None:
            yield GaugeMetricFamily(
                "dovvybuddy_leads_stored",
                "Leads stored (duplicates merged into one).",
                value=self.leads.stored,
            )
            deliveries = GaugeMetricFamily(
                "dovvybuddy_lead_deliveries",
                "Lead deliveries in the outbox, by status (pending, delivered, failed).",
                labels=["status"],
            )
            for status in ("pending", "delivered", "failed"):
                deliveries.add_metric([status], getattr(self.leads, status))
            yield deliveries
            yield GaugeMetricFamily(
                "dovvybuddy_lead_outbox_oldest_pending_seconds",
                "Age of the oldest delivery still pending; 0 when none is.",
                value=self.leads.oldest_pending_seconds,
            )
        for key, (suffix, help_text, running_total) in POOL_FIGURES.items():
            if self.pool_stats is None:
                break
            family = CounterMetricFamily if running_total else GaugeMetricFamily
            yield family(
                f"dovvybuddy_db_pool_{suffix}", help_text, value=self.pool_stats.get(key, 0)
            )
