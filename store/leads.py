"""Leads and their delivery outbox. A lead is committed before any delivery is tried."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from psycopg_pool import AsyncConnectionPool

DUPLICATE_WINDOW = dt.timedelta(minutes=10)


async def save_lead(
    pool: AsyncConnectionPool,
    *,
    lead_type: str,
    name: str,
    email: str,
    data: dict,
    session_id: str | None,
    channels: list[str],
) -> tuple[str, bool]:
    """Store a lead and queue its deliveries; return (lead id, whether it was new).

    The same e-mail and type within ten minutes is one lead: the later submission's fields
    are merged into it and nothing new is queued.
    """
    async with pool.connection() as conn, conn.transaction():
        # One submitter at a time per e-mail and type, so two quick submits cannot both
        # miss each other and create two leads.
        await conn.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))", (f"lead:{email.lower()}:{lead_type}",)
        )
        cur = await conn.execute(
            "SELECT id FROM leads WHERE lower(email) = lower(%s) AND type = %s "
            "AND created_at > now() - %s ORDER BY created_at DESC LIMIT 1",
            (email, lead_type, DUPLICATE_WINDOW),
        )
        existing = await cur.fetchone()
        if existing:
            await conn.execute(
                "UPDATE leads SET data = data || %s::jsonb, name = %s, "
                "duplicate_count = duplicate_count + 1, updated_at = now(), "
                "session_id = coalesce(%s, session_id) WHERE id = %s",
                (json.dumps(data), name, session_id, existing["id"]),
            )
            return str(existing["id"]), False
        lead_id = uuid.uuid4()
        await conn.execute(
            "INSERT INTO leads (id, type, email, name, data, session_id) "
            "VALUES (%s, %s, %s, %s, %s::jsonb, %s)",
            (lead_id, lead_type, email, name, json.dumps(data), session_id),
        )
        for channel in channels:
            await conn.execute(
                "INSERT INTO lead_outbox (lead_id, channel) VALUES (%s, %s)", (lead_id, channel)
            )
        return str(lead_id), True


async def claim_due(
    pool: AsyncConnectionPool, lease: dt.timedelta, channels: list[str], limit: int = 10
) -> tuple[str, list[dict]]:
    """Take due deliveries on `channels` for `lease`; return (claim token, rows).

    A crash mid-delivery returns them to the queue when the lease runs out. Only the token
    holder may renew or mark them. A worker claims only the channels it can deliver, so
    replicas configured differently never starve each other's deliveries."""
    token = str(uuid.uuid4())
    async with pool.connection() as conn, conn.transaction():
        cur = await conn.execute(
            """
            UPDATE lead_outbox o SET attempts = attempts + 1, next_attempt_at = now() + %s,
                                     claim_token = %s
            FROM leads l
            WHERE o.lead_id = l.id AND o.id IN (
                SELECT id FROM lead_outbox
                WHERE status = 'pending' AND next_attempt_at <= now() AND channel = ANY(%s)
                ORDER BY next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED
            )
            RETURNING o.id, o.channel, o.attempts, l.id AS lead_id, l.type, l.name, l.email,
                      l.data, l.session_id, l.created_at
            """,
            (lease, token, channels, limit),
        )
        return token, await cur.fetchall()


async def renew(pool: AsyncConnectionPool, outbox_id: int, token: str, lease: dt.timedelta) -> bool:
    """Extend the lease on one claimed delivery; False when the claim is no longer ours
    (it ran out and another worker took the delivery, or it is settled)."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "UPDATE lead_outbox SET next_attempt_at = now() + %s "
            "WHERE id = %s AND claim_token = %s AND status = 'pending'",
            (lease, outbox_id, token),
        )
        return cur.rowcount == 1


async def mark_delivered(pool: AsyncConnectionPool, outbox_id: int, token: str) -> bool:
    """Settle a delivery as done; False (and nothing changed) unless `token` holds it."""
    async with pool.connection() as conn:
        cur = await conn.execute(
            "UPDATE lead_outbox SET status = 'delivered', delivered_at = now(), last_error = NULL "
            "WHERE id = %s AND claim_token = %s AND status = 'pending'",
            (outbox_id, token),
        )
        return cur.rowcount == 1


async def mark_failed(
    pool: AsyncConnectionPool,
    outbox_id: int,
    token: str,
    error: str,
    retry_in: dt.timedelta | None,
) -> bool:
    """Schedule a retry, or give up (status 'failed') when `retry_in` is None. Only the
    holder of the claim can; returns whether it did."""
    async with pool.connection() as conn:
        if retry_in is None:
            cur = await conn.execute(
                "UPDATE lead_outbox SET status = 'failed', last_error = %s, claim_token = NULL "
                "WHERE id = %s AND claim_token = %s AND status = 'pending'",
                (error[:500], outbox_id, token),
            )
        else:
            cur = await conn.execute(
                "UPDATE lead_outbox SET next_attempt_at = now() + %s, last_error = %s, "
                "claim_token = NULL WHERE id = %s AND claim_token = %s AND status = 'pending'",
                (retry_in, error[:500], outbox_id, token),
            )
        return cur.rowcount == 1


async def release(pool: AsyncConnectionPool, outbox_ids: list[int], token: str) -> None:
    """Return claimed deliveries to the queue, due now (a graceful shutdown)."""
    if not outbox_ids:
        return
    async with pool.connection() as conn:
        await conn.execute(
            "UPDATE lead_outbox SET next_attempt_at = now(), attempts = greatest(attempts - 1, 0), "
            "claim_token = NULL WHERE id = ANY(%s) AND claim_token = %s AND status = 'pending'",
            (outbox_ids, token),
        )
