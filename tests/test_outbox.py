"""The lead outbox shared by several workers: claims with tokens, leases renewed per
delivery, webhooks with an idempotency key — each lead delivered exactly once."""

import asyncio
import datetime as dt
import threading
import time
import typing
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from config.settings import Settings
from leads.delivery import IDEMPOTENCY_HEADER, LeadDelivery
from store.leads import claim_due, mark_delivered, mark_failed, save_lead

pytestmark = pytest.mark.db


class _SlowWebhook(BaseHTTPRequestHandler):
    delay = 0.3
    keys: typing.ClassVar[Counter] = Counter()
    lock = threading.Lock()

    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        time.sleep(self.delay)
        with self.lock:
            self.keys[self.headers.get(IDEMPOTENCY_HEADER)] += 1
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowWebhook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _SlowWebhook.keys = Counter()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


async def _leads(pool, count: int, channel: str) -> list[str]:
    ids = []
    for n in range(count):
        lead_id, new = await save_lead(
            pool,
            lead_type="training",
            name=f"Diver {n}",
            email=f"outbox-{uuid.uuid4().hex[:10]}@example.com",
            data={},
            session_id=None,
            channels=[channel],
        )
        assert new
        ids.append(lead_id)
    return ids


async def test_two_workers_and_a_slow_webhook_deliver_each_lead_once(pool, database_url, webhook):
    settings = Settings(_env_file=None, database_url=database_url, lead_webhook_url=webhook)
    lead_ids = await _leads(pool, 12, "webhook")
    # A batch of 10 at 0.3 s each takes 3 s, three times the lease: without per-delivery
    # renewal the second worker would take (and send again) most of the first one's batch.
    workers = [
        LeadDelivery(
            pool,
            settings,
            lease=dt.timedelta(seconds=1),
            send_timeout=dt.timedelta(seconds=0.8),
            batch=10,
        )
        for _ in range(2)
    ]

    async def work(worker: LeadDelivery, deadline: float) -> None:
        while time.monotonic() < deadline:
            await worker.deliver_due()
            await asyncio.sleep(0.1)

    deadline = time.monotonic() + 12
    try:
        await asyncio.gather(*(work(w, deadline) for w in workers))
    finally:
        for worker in workers:
            await worker.aclose()
    calls = [_SlowWebhook.keys[f"dovvybuddy-lead-{lead_id}-webhook"] for lead_id in lead_ids]
    print(f"\noutbox: {len(lead_ids)} leads, 2 workers, webhook calls per lead: {calls}")
    assert calls == [1] * len(lead_ids)
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT status, count(*) AS n FROM lead_outbox WHERE lead_id = ANY(%s::uuid[]) "
            "GROUP BY status",
            (lead_ids,),
        )
        assert {row["status"]: row["n"] for row in await cur.fetchall()} == {"delivered": 12}


async def test_a_stale_worker_cannot_mark_what_another_now_holds(pool):
    [lead_id] = await _leads(pool, 1, "stale-test")
    first_token, first = await claim_due(pool, dt.timedelta(seconds=30), ["stale-test"])
    assert [row["lead_id"] for row in first] == [uuid.UUID(lead_id)]
    async with pool.connection() as conn:  # the first worker's lease runs out
        await conn.execute(
            "UPDATE lead_outbox SET next_attempt_at = now() - interval '1 second' WHERE id = %s",
            (first[0]["id"],),
        )
    second_token, second = await claim_due(pool, dt.timedelta(seconds=30), ["stale-test"])
    assert [row["id"] for row in second] == [first[0]["id"]]

    assert not await mark_delivered(pool, first[0]["id"], first_token)
    assert not await mark_failed(pool, first[0]["id"], first_token, "late", None)
    assert await mark_delivered(pool, second[0]["id"], second_token)
    # Once delivered, no one — not even the late first worker — flips it back.
    assert not await mark_failed(pool, first[0]["id"], first_token, "late", dt.timedelta(0))
    async with pool.connection() as conn:
        cur = await conn.execute(
            "SELECT status, last_error FROM lead_outbox WHERE id = %s", (first[0]["id"],)
        )
        assert await cur.fetchone() == {"status": "delivered", "last_error": None}
