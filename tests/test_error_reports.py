"""Sentry reports: a handled error arrives, without the diver's words or contact details.

The real app, on the real database, with the real Sentry client; only the transport (the
part that would send envelopes over the network) is replaced by one that keeps them.
"""

from __future__ import annotations

import pytest
import sentry_sdk
from fastapi.testclient import TestClient
from sentry_sdk.transport import Transport

import api.leads
from config.settings import Settings
from observability.errors import SCRUBBED, configure_sentry, scrub_event

pytestmark = pytest.mark.db

DIVER_MESSAGE = "Planning a solo dive at Blue Hole tomorrow even though my asthma flared up"
LEAD = {"name": "Zelda Quartermaine", "email": "zelda.q@example.org", "phone": "+60 12 3456789"}


class KeepingTransport(Transport):
    """Keeps every envelope instead of sending it."""

    def __init__(self) -> None:
        super().__init__()
        self.envelopes: list = []

    def capture_envelope(self, envelope) -> None:
        self.envelopes.append(envelope)

    def events(self) -> list[dict]:
        return [
            item.payload.json
            for envelope in self.envelopes
            for item in envelope.items
            if item.type == "event" and item.payload.json
        ]

    def raw(self) -> bytes:
        return b"".join(envelope.serialize() for envelope in self.envelopes)


@pytest.fixture
def transport():
    keeping = KeepingTransport()
    dsn_settings = Settings(sentry_dsn="https://public@sentry.invalid/1", sentry_environment="test")
    assert configure_sentry(dsn_settings, transport=keeping)
    yield keeping
    sentry_sdk.init()  # no DSN: reporting is off again for the rest of the session


class FailingGraph:
    """A graph whose turn fails with the diver's message in the error, as careless code would."""

    async def ainvoke(self, state, config=None):
        raise RuntimeError(f"could not answer {state['messages'][-1].content!r}")


def test_handled_errors_arrive_without_message_text_or_lead_data(
    transport, database_url, monkeypatch
):
    from server import create_app

    async def failing_save_lead(pool, **lead):
        raise ValueError(f"cannot store lead {lead['name']} <{lead['email']}>")

    monkeypatch.setattr(api.leads, "save_lead", failing_save_lead)
    app = create_app(Settings())  # no DSN of its own: the fixture's client is the one in force
    with TestClient(app, raise_server_exceptions=False) as client:
        monkeypatch.setattr(app.state.chat_service, "graph", FailingGraph())
        chat = client.post("/api/chat", json={"message": DIVER_MESSAGE})
        lead = client.post("/api/leads", json={"type": "training", "data": LEAD})
    assert chat.status_code == 500 and chat.json()["error"]["code"] == "INTERNAL_ERROR"
    assert lead.status_code == 500
    sentry_sdk.flush()

    events = transport.events()
    types = {
        value["type"]
        for event in events
        for value in (event.get("exception") or {}).get("values", [])
    }
    assert {"RuntimeError", "ValueError"} <= types, f"the handled errors did not arrive: {types}"
    assert all(event["tags"].get("request_id") for event in events if event.get("exception"))

    raw = transport.raw().decode("utf-8", "replace")
    for secret in (DIVER_MESSAGE, "Blue Hole", "asthma", *LEAD.values(), "Quartermaine"):
        assert secret not in raw, f"{secret!r} reached Sentry"
    assert "RuntimeError" in raw and SCRUBBED in raw  # the report still locates the fault


def test_scrubbing_keeps_the_fault_and_drops_the_person():
    event = {
        "request": {
            "url": "https://api.example/api/chat?email=a@b.example",
            "method": "POST",
            "data": {"message": DIVER_MESSAGE},
            "cookies": {"dovvy_session": "abc"},
            "query_string": "email=a@b.example",
            "headers": {"User-Agent": "curl", "Authorization": "Bearer x", "Cookie": "y"},
        },
        "exception": {"values": [{"type": "KeyError", "value": f"'{LEAD['email']}'"}]},
        "logentry": {"message": "lead %s failed", "params": [LEAD["email"]], "formatted": "x"},
        "extra": {"lead": LEAD},
        "user": {"email": LEAD["email"]},
        "breadcrumbs": {"values": [{"message": DIVER_MESSAGE, "data": {"q": 1}}]},
        "release": "dovvybuddy@0.1.0",
    }
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {
        "url": "https://api.example/api/chat",
        "method": "POST",
        "headers": {"User-Agent": "curl"},
    }
    assert scrubbed["exception"]["values"] == [{"type": "KeyError", "value": SCRUBBED}]
    assert scrubbed["logentry"] == {"message": "lead %s failed"}
    assert "extra" not in scrubbed and "user" not in scrubbed
    assert scrubbed["breadcrumbs"]["values"] == [{"message": SCRUBBED}]
    assert scrubbed["release"] == "dovvybuddy@0.1.0"  # not mistaken for an address


def test_without_a_dsn_nothing_starts():
    assert configure_sentry(Settings(sentry_dsn="")) is False


def test_a_malformed_dsn_stops_start_up_without_echoing_it(monkeypatch):
    from config.settings import ConfigurationError, get_settings

    monkeypatch.setenv("SENTRY_DSN", "not-a-dsn-secret-value")
    get_settings.cache_clear()
    try:
        with pytest.raises(ConfigurationError) as error:
            get_settings()
    finally:
        monkeypatch.delenv("SENTRY_DSN")
        get_settings.cache_clear()
    assert "SENTRY_DSN" in str(error.value)
    assert "not-a-dsn-secret-value" not in str(error.value)
