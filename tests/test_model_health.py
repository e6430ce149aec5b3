"""What /ready says about the chat models: recent calls first, a cached probe otherwise."""

from __future__ import annotations

import asyncio

import pytest
from langchain_core.embeddings import Embeddings
from langchain_core.messages import HumanMessage, SystemMessage

from chains.extractive import ExtractiveAnswerer
from chains.model_health import ModelHealth


class Probe:
    def __init__(self) -> None:
        self.calls = 0
        self.fail = False

    async def __call__(self) -> None:
        self.calls += 1
        if self.fail:
            raise ConnectionError("provider down")


async def test_the_probe_is_cached_and_a_real_call_outranks_it():
    health = ModelHealth(ttl_seconds=0.3)
    probe = Probe()
    recorder = health.track("groq/x", probe)

    assert (await health.check("groq/x", None))["status"] == "ok"
    await asyncio.gather(*(health.check("groq/x", None) for _ in range(5)))
    assert probe.calls == 1  # within the TTL nobody probes again

    await recorder.on_llm_error(RuntimeError("429 after retries"))
    failing = await health.check("groq/x", None)
    assert failing["status"] == "error"
    assert failing["models"]["groq/x"] == {
        "status": "failing",
        "source": "call",
        "age_seconds": 0.0,
        "error": "RuntimeError",
    }
    await recorder.on_llm_end(None)
    assert (await health.check("groq/x", None))["status"] == "ok"


async def test_a_failing_probe_reports_error_until_the_provider_recovers():
    health = ModelHealth(ttl_seconds=0.2)
    probe = Probe()
    probe.fail = True
    health.track("groq/x", probe)
    assert (await health.check("groq/x", None))["status"] == "error"
    probe.fail = False
    assert (await health.check("groq/x", None))["status"] == "error"  # still cached
    await asyncio.sleep(0.25)
    assert (await health.check("groq/x", None))["status"] == "ok"


async def test_a_cancelled_call_says_nothing_and_a_working_fallback_is_enough():
    health = ModelHealth(ttl_seconds=60)
    primary = health.track("groq/x", Probe())
    fallback = health.track("google_genai/y", Probe())
    await primary.on_llm_end(None)
    await primary.on_llm_error(asyncio.CancelledError())  # a diver who left mid-stream
    assert (await health.check("groq/x", None))["models"]["groq/x"]["status"] == "ok"
    await primary.on_llm_error(TimeoutError())
    await fallback.on_llm_end(None)
    both = await health.check("groq/x", "google_genai/y")
    assert both["status"] == "ok"
    assert both["models"]["groq/x"]["status"] == "failing"


class BrokenEmbeddings(Embeddings):
    def embed_documents(self, texts):
        raise OSError("the model file is gone")

    def embed_query(self, text):
        raise OSError("the model file is gone")


@pytest.mark.parametrize("broken", [False, True])
async def test_the_extractive_answerer_is_probed_for_real(embeddings, broken):
    from chains.models import _probe_for
    from config.settings import Settings

    answerer = ExtractiveAnswerer(embeddings=BrokenEmbeddings() if broken else embeddings)
    health = ModelHealth(ttl_seconds=60)
    answerer.callbacks = [
        health.track("offline/extractive", _probe_for("offline/extractive", Settings(), answerer))
    ]
    status = (await health.check("offline/extractive", None))["status"]
    assert status == ("error" if broken else "ok")
    if not broken:  # and a real call is recorded as one
        from chains.prompts import READINESS_PROBE_PASSAGE

        await answerer.ainvoke([SystemMessage(READINESS_PROBE_PASSAGE), HumanMessage("what?")])
        outcome = await health.outcome("offline/extractive")
        assert outcome.source == "call" and outcome.ok
