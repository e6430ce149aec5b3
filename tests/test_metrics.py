"""/metrics: the families an operator watches, from the real app on the real database."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from prometheus_client.parser import text_string_to_metric_families

from observability.callbacks import TurnMetrics
from observability.database import DatabaseCollector
from observability.metrics import new_registry

pytestmark = pytest.mark.db


def families(text: str) -> dict:
    return {family.name: family for family in text_string_to_metric_families(text)}


def sample(found: dict, family: str, name: str | None = None, **labels) -> float | None:
    for s in found[family].samples:
        if (name is None or s.name == name) and all(
            s.labels.get(k) == v for k, v in labels.items()
        ):
            return s.value
    return None


@pytest.fixture(scope="module")
def client(database_url, indexed_corpus, tmp_path_factory):
    """The real app and lifespan on the real database, served in-process (the models the
    test session already loaded are reused, so start-up costs seconds, not a torch import)."""
    from config.settings import Settings
    from server import create_app

    app = create_app(
        Settings(
            chat_rate_limit="1000/minute",
            leads_rate_limit="1000/minute",
            lead_sink_file=tmp_path_factory.mktemp("leads") / "delivered.jsonl",
        )
    )
    with TestClient(app) as client:
        yield client


def test_metrics_serve_every_family_after_real_turns(client):
    assert client.post("/api/chat", json={"message": "What is nitrox?"}).is_success
    emergency = client.post(
        "/api/chat",
        json={"message": "my buddy surfaced fast and now has chest pain and can't breathe"},
    ).json()
    assert emergency["agentType"] == "emergency"
    session = client.get(f"/api/sessions/{emergency['sessionId']}")
    assert session.status_code == 200
    lead = client.post(
        "/api/leads",
        json={
            "type": "training",
            "data": {"name": "Metrics Diver", "email": f"m-{uuid.uuid4().hex[:8]}@example.com"},
        },
    )
    assert lead.status_code == 201, lead.text

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    found = families(response.text)

    # Requests by route template (never the session id) and status, with latency histograms.
    assert sample(found, "dovvybuddy_http_requests", handler="/api/chat", status="200") >= 2
    assert sample(
        found, "dovvybuddy_http_requests", handler="/api/sessions/{session_id}", method="GET"
    )
    assert emergency["sessionId"] not in response.text
    assert (
        sample(
            found,
            "dovvybuddy_http_request_duration_seconds",
            "dovvybuddy_http_request_duration_seconds_bucket",
            handler="/api/chat",
            le="+Inf",
        )
        >= 2
    )
    # Turns by route, emergencies, model calls and their latency by provider.
    assert sample(found, "dovvybuddy_turns", route="emergency") >= 1
    assert sum(s.value for s in found["dovvybuddy_turns"].samples) >= 2
    assert sample(found, "dovvybuddy_emergencies") >= 1
    assert sample(found, "dovvybuddy_model_calls", provider="offline") >= 1
    assert (
        sample(
            found,
            "dovvybuddy_model_call_duration_seconds",
            "dovvybuddy_model_call_duration_seconds_count",
            provider="offline",
        )
        >= 1
    )
    assert "dovvybuddy_model_failures" in found
    # Leads and the outbox, read from the database at scrape time; the pool's figures.
    assert sample(found, "dovvybuddy_database_up") == 1
    assert sample(found, "dovvybuddy_leads_stored") >= 1
    assert {s.labels["status"] for s in found["dovvybuddy_lead_deliveries"].samples} == {
        "pending",
        "delivered",
        "failed",
    }
    assert sample(found, "dovvybuddy_lead_outbox_oldest_pending_seconds") >= 0
    assert sample(found, "dovvybuddy_db_pool_max") >= 1
    assert "dovvybuddy_db_pool_requests_waiting" in found
    assert "process_resident_memory_bytes" in found


def outbox_rows(figures) -> int:
    """Outbox rows in any state. A delivery worker left running by an earlier test can move
    another lead from pending to delivered meanwhile; the sum only grows with new rows."""
    return figures.pending + figures.delivered + figures.failed


async def test_outbox_age_and_counts_come_from_the_tables(pool):
    collector = DatabaseCollector()
    await collector.refresh(pool)
    before = collector.leads
    lead_id = uuid.uuid4()
    async with pool.connection() as conn:
        await conn.execute(
            "INSERT INTO leads (id, type, email, name, data) VALUES (%s, 'trip', %s, 'A', '{}')",
            (lead_id, f"{lead_id.hex[:8]}@example.com"),
        )
        await conn.execute(
            "INSERT INTO lead_outbox (lead_id, channel, status, created_at, next_attempt_at) "
            "VALUES (%s, 'nowhere', 'pending', now() - interval '20 minutes', "
            "now() + interval '1 day')",
            (lead_id,),
        )
    try:
        await collector.refresh(pool)
        after = collector.leads
        assert after.stored == before.stored + 1
        assert outbox_rows(after) == outbox_rows(before) + 1 and after.pending >= 1
        assert after.oldest_pending_seconds >= 20 * 60
        found = {f.name: f for f in collector.collect()}
        assert found["dovvybuddy_lead_outbox_oldest_pending_seconds"].samples[0].value >= 1200
    finally:
        async with pool.connection() as conn:
            await conn.execute("DELETE FROM leads WHERE id = %s", (lead_id,))


async def test_a_database_outage_leaves_the_scrape_answering(database_url):
    from store.pool import open_pool

    pool = await open_pool(database_url, max_size=1)
    collector = DatabaseCollector()
    await pool.close()  # a closed pool refuses every connection, as a dead database does
    await collector.refresh(pool)
    found = {f.name: f for f in collector.collect()}
    assert found["dovvybuddy_database_up"].samples[0].value == 0
    assert "dovvybuddy_leads_stored" not in found


class TimingOutModel(BaseChatModel):
    """A provider that always times out."""

    @property
    def _llm_type(self) -> str:
        return "timing-out"

    def _get_ls_params(self, stop=None, **kwargs):
        return {**super()._get_ls_params(stop=stop, **kwargs), "ls_provider": "slowprovider"}

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        raise TimeoutError("the provider took too long")


def test_model_calls_latency_and_failures_are_counted_by_provider():
    registry = new_registry()
    handler = TurnMetrics()

    def value(name, **labels):
        return registry.get_sample_value(name, labels) or 0

    failures = value(
        "dovvybuddy_model_failures_total", provider="slowprovider", error="TimeoutError"
    )
    calls = value("dovvybuddy_model_calls_total", provider="slowprovider")
    timed = value("dovvybuddy_model_call_duration_seconds_count", provider="slowprovider")
    with pytest.raises(TimeoutError):
        TimingOutModel().invoke("hello", config={"callbacks": [handler]})
    assert value("dovvybuddy_model_calls_total", provider="slowprovider") == calls + 1
    assert (
        value("dovvybuddy_model_failures_total", provider="slowprovider", error="TimeoutError")
        == failures + 1
    )
    assert (
        value("dovvybuddy_model_call_duration_seconds_count", provider="slowprovider") == timed + 1
    )

    fine = GenericFakeChatModel(messages=iter(["all good"]))
    provider = fine._get_ls_params()["ls_provider"]  # LangChain's name for a model without one
    before = value("dovvybuddy_model_calls_total", provider=provider)
    fine.invoke("hello", config={"callbacks": [handler]})
    assert value("dovvybuddy_model_calls_total", provider=provider) == before + 1
    assert not handler._open_calls  # every started call was closed


def test_a_metrics_token_keeps_strangers_out(database_url):
    from config.settings import Settings
    from server import create_app

    app = create_app(Settings(metrics_token="s3cret-token-for-tests"))
    client = TestClient(app)  # no lifespan: /metrics must answer while the app starts
    refused = client.get("/metrics")
    assert refused.status_code == 401
    assert refused.json()["error"]["code"] == "UNAUTHORIZED"
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    allowed = client.get("/metrics", headers={"Authorization": "Bearer s3cret-token-for-tests"})
    assert allowed.status_code == 200 and "dovvybuddy_database_up 0.0" in allowed.text


def test_the_unguarded_metrics_route_is_not_in_the_public_contract():
    import json
    from pathlib import Path

    contract = json.loads((Path(__file__).resolve().parent.parent / "openapi.json").read_text())
    assert "/metrics" not in contract["paths"]
