"""The outbox worker: delivers stored leads with retries and backoff, and resumes after a
crash (a claimed delivery is leased, not removed, until it succeeds).

Several workers (one per replica) share the outbox. A claim carries a token; each delivery's
lease is renewed just before it is sent and outlasts the send's whole deadline, so a slow
batch never lets a second worker take a delivery that is still being sent, and a worker
whose claim ran out cannot mark what another now holds. Webhooks carry an Idempotency-Key
(stable across retries of one delivery) so a receiver can drop the rare repeat, e.g. after
a crash between sending and recording.

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
from store.leads import claim_due, mark_delivered, mark_failed, release, renew

log = logging.getLogger(__name__)

# How long a claimed delivery is held: a worker that dies mid-delivery (no chance to hand
# its claims back) delays them by this much, not forever. It must outlast one send.
LEASE = dt.timedelta(seconds=30)
# The whole deadline of one send (connect, upload, wait, download together).
SEND_TIMEOUT = dt.timedelta(seconds=10)
BATCH = 10
MAX_BACKOFF = dt.timedelta(hours=1)
IDEMPOTENCY_HEADER = "Idempotency-Key"


def channels_for(settings: Settings) -> list[str]:
    return ["webhook"] if settings.lead_webhook_url else ["file"]


def idempotency_key(row: dict) -> str:
    """The same for every attempt of one delivery, different for every delivery."""
    return f"dovvybuddy-lead-{row['lead_id']}-{row['channel']}"


def _payload(row: dict) -> dict:
    return {
        "deliveryId": idempotency_key(row),
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
        self,
        pool: AsyncConnectionPool,
        settings: Settings,
        client: httpx.AsyncClient | None = None,
        *,
        lease: dt.timedelta = LEASE,
        send_timeout: dt.timedelta = SEND_TIMEOUT,
        batch: int = BATCH,
    ) -> None:
        if send_timeout >= lease:
            raise ValueError("a delivery's lease must outlast its send timeout")
        self.pool = pool
        self.settings = settings
        self.lease = lease
        self.send_timeout = send_timeout
        self.batch = batch
        self.client = client or httpx.AsyncClient(timeout=send_timeout.total_seconds())
        self.wake = asyncio.Event()

    async def _send(self, row: dict) -> None:
        payload = _payload(row)
        if row["channel"] == "webhook":
            if not self.settings.lead_webhook_url:
                raise RuntimeError("LEAD_WEBHOOK_URL is not set")
            response = await self.client.post(
                self.settings.lead_webhook_url,
                json=payload,
                headers={IDEMPOTENCY_HEADER: payload["deliveryId"]},
            )
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
        token, claimed = await claim_due(
            self.pool, self.lease, channels_for(self.settings), self.batch
        )
        for n, row in enumerate(claimed):
            try:
                # Renewed just before sending, the lease outlasts this send's deadline.
                if not await renew(self.pool, row["id"], token, self.lease):
                    log.info("lead %s delivery was taken over by another worker", row["lead_id"])
                    continue
                async with asyncio.timeout(self.send_timeout.total_seconds()):
                    await self._send(row)
            except asyncio.CancelledError:
                # Shutting down: hand back what was claimed and not sent, due at once.
                await asyncio.shield(release(self.pool, [r["id"] for r in claimed[n:]], token))
                raise
            except Exception as error:  # any failure is retried later, never lost
                retry = self.backoff(row["attempts"])
                reason = str(error) if isinstance(error, DeliveryFailed) else type(error).__name__
                await mark_failed(self.pool, row["id"], token, reason, retry)
                log.warning(
                    "lead %s (%s) delivery via %s failed (attempt %s): %s",
                    row["lead_id"],
                    row["type"],
                    row["channel"],
                    row["attempts"],
                    type(error).__name__,
                )
            else:
                if await mark_delivered(self.pool, row["id"], token):
                    delivered += 1
                    log.info(
                        "lead %s (%s) delivered via %s", row["lead_id"], row["type"], row["channel"]
                    )
                else:
                    log.warning("lead %s delivered after its claim was lost", row["lead_id"])
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
