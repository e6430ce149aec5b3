"""The outbox worker: delivers stored leads with retries and backoff, and resumes after a
crash (a claimed delivery is leased, not removed, until it succeeds).

Channels: `webhook` (POST JSON with httpx, when LEAD_WEBHOOK_URL is set) and `file` (a JSON
line appended to LEAD_SINK_FILE: the offline default, and what a shop integration can tail).
Logs name leads by id and type only — never their personal data.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path

import httpx
from psycopg_pool import AsyncConnectionPool

from config.settings import Settings
from store.leads import claim_due, mark_delivered, mark_failed, release

log = logging.getLogger(__name__)

# How long a claimed delivery is held: a worker that dies mid-delivery (no chance to hand
# its claims back) delays them by this much, not forever.
LEASE = dt.timedelta(seconds=30)
MAX_BACKOFF = dt.timedelta(hours=1)


def channels_for(settings: Settings) -> list[str]:
    return ["webhook"] if settings.lead_webhook_url else ["file"]


def _payload(row: dict) -> dict:
    return {
        "leadId": str(row["lead_id"]),
        "type": row["type"],
        "name": row["name"],
        "email": row["email"],
        "data": row["data"],
        "sessionId": row["session_id"],
        "createdAt": row["created_at"].isoformat(),
    }


class LeadDelivery:
    def __init__(
        self, pool: AsyncConnectionPool, settings: Settings, client: httpx.AsyncClient | None = None
    ) -> None:
        self.pool = pool
        self.settings = settings
        self.client = client or httpx.AsyncClient(timeout=10)
        self.wake = asyncio.Event()

    async def _send(self, row: dict) -> None:
        payload = _payload(row)
        if row["channel"] == "webhook":
            if not self.settings.lead_webhook_url:
                raise RuntimeError("LEAD_WEBHOOK_URL is not set")
            response = await self.client.post(self.settings.lead_webhook_url, json=payload)
            if response.status_code >= 300:
                # The URL may carry a secret token: record the status only.
                raise DeliveryFailed(f"webhook answered HTTP {response.status_code}")
        elif row["channel"] == "file":
            path: Path = self.settings.resolved_lead_sink_file
            line = json.dumps(payload, ensure_ascii=False)
            await asyncio.to_thread(_append_line, path, line)
        else:
            raise RuntimeError(f"unknown channel {row['channel']!r}")

    def backoff(self, attempts: int) -> dt.timedelta | None:
        if attempts >= self.settings.lead_max_attempts:
            return None
        seconds = self.settings.lead_retry_base_seconds * 2 ** (attempts - 1)
        return min(dt.timedelta(seconds=seconds), MAX_BACKOFF)

    async def deliver_due(self) -> int:
        """Deliver what is due now; return how many deliveries succeeded."""
        delivered = 0
        claimed = await claim_due(self.pool, LEASE, channels_for(self.settings))
        for n, row in enumerate(claimed):
            try:
                await self._send(row)
            except asyncio.CancelledError:
                # Shutting down: hand back what was claimed and not sent, due at once.
                await asyncio.shield(release(self.pool, [r["id"] for r in claimed[n:]]))
                raise
            except Exception as error:  # any failure is retried later, never lost
                retry = self.backoff(row["attempts"])
                reason = str(error) if isinstance(error, DeliveryFailed) else type(error).__name__
                await mark_failed(self.pool, row["id"], reason, retry)
                log.warning(
                    "lead %s (%s) delivery via %s failed (attempt %s): %s",
                    row["lead_id"],
                    row["type"],
                    row["channel"],
                    row["attempts"],
                    type(error).__name__,
                )
            else:
                await mark_delivered(self.pool, row["id"])
                delivered += 1
                log.info(
                    "lead %s (%s) delivered via %s", row["lead_id"], row["type"], row["channel"]
                )
        return delivered

    async def run(self, poll_seconds: float = 2.0) -> None:
        """Deliver forever: on a wake-up (a new lead) or every `poll_seconds`."""
        while True:
            try:
                await self.deliver_due()
            except Exception:  # the database may be down; the next round tries again
                log.warning("lead outbox round failed", exc_info=True)
            try:
                await asyncio.wait_for(self.wake.wait(), timeout=poll_seconds)
            except TimeoutError:
                pass
            self.wake.clear()

    async def aclose(self) -> None:
        await self.client.aclose()


class DeliveryFailed(RuntimeError):
    pass


def _append_line(path: Path, line: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
