"""One factory for every model: chat models and embeddings from "provider/model" strings.

Providers:
  google_genai/<model>   Gemini (GOOGLE_API_KEY), e.g. google_genai/gemini-2.5-flash
  groq/<model>           Groq (GROQ_API_KEY), e.g. groq/llama-3.3-70b-versatile
  offline/extractive     the extractive answerer (no key, no network)
  local/all-MiniLM-L6-v2 the bundled offline embedding model (384 dims)
  google_genai/gemini-embedding-001   Gemini embeddings at 768 dims

Hosted chat models get a timeout and retries with exponential backoff on 429/5xx (both
SDKs implement the backoff); when two providers are configured the second is a fallback.
GROQ_API_BASE and GEMINI_API_BASE point the SDKs elsewhere (a proxy, or the test suite's
stand-in). Every chat model reports its calls to chains.model_health, which /ready reads.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from config.settings import Settings

if TYPE_CHECKING:
    # Only named in annotations. LangChain's chat-model and runnable modules (LangSmith's
    # types behind them) and httpx are imported where a chat model is built: they cost
    # `ingest run` a second or more before it did any work, and ingest needs only the
    # embeddings.
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.runnables import Runnable

log = logging.getLogger(__name__)

GEMINI_EMBEDDING_DIMENSION = 768


class ModelUnavailableError(RuntimeError):
    """Every configured chat model failed (after its own retries and the fallback)."""


def split_model_string(value: str) -> tuple[str, str]:
    provider, sep, model = value.partition("/")
    if not sep or not model:
        raise ValueError(f'expected "provider/model", got {value!r}')
    return provider, model


def load_chat_model(
    fully_specified_name: str,
    settings: Settings,
    *,
    embeddings: Embeddings | None = None,
) -> BaseChatModel:
    """Build one chat model from a "provider/model" string; its calls feed /ready."""
    from chains.model_health import model_health

    model = _build_chat_model(fully_specified_name, settings, embeddings)
    probe = _probe_for(fully_specified_name, settings, model)
    model.callbacks = [model_health().track(fully_specified_name, probe)]
    return model


def _build_chat_model(
    fully_specified_name: str, settings: Settings, embeddings: Embeddings | None
) -> BaseChatModel:
    provider, model = split_model_string(fully_specified_name)
    if provider == "google_genai":
        from langchain_google_genai import ChatGoogleGenerativeAI

        return ChatGoogleGenerativeAI(
            model=model,
            google_api_key=settings.google_api_key,
            base_url=settings.gemini_api_base,
            temperature=settings.llm_temperature,
            timeout=settings.llm_timeout_seconds,
            # The Google SDK counts attempts, not retries, and reads 0 as "its default of 5".
            max_retries=settings.llm_max_retries + 1,
        )
    if provider == "groq":
        from langchain_groq import ChatGroq

        from chains.groq_stream import PlainJSONCompletions

        groq = ChatGroq(
            model=model,
            api_key=settings.groq_api_key,
            base_url=settings.groq_api_base,
            temperature=settings.llm_temperature,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
        # Its token stream read as plain JSON, not one SDK object per token: see the module.
        groq.async_client = PlainJSONCompletions(groq.async_client)
        return groq
    if provider == "offline":
        if model != "extractive":
            raise ValueError(f"the offline provider has one model, 'extractive', not {model!r}")
        from chains.extractive import ExtractiveAnswerer
        from chains.selection import HAND, load_selection

        selection = load_selection() if settings.answer_selection == "fitted" else HAND
        return ExtractiveAnswerer(embeddings=embeddings, selection=selection)
    raise ValueError(f"unknown chat provider {provider!r}")


GROQ_DEFAULT_BASE = "https://api.groq.com"
GEMINI_DEFAULT_BASE = "https://generativelanguage.googleapis.com"


def _probe_for(fully_specified_name: str, settings: Settings, model: BaseChatModel):
    """A cheap call that shows the model is reachable, for /ready when no call is recent."""
    provider, _ = split_model_string(fully_specified_name)
    if provider == "groq":
        key = settings.groq_api_key.get_secret_value() if settings.groq_api_key else ""
        return _list_models_probe(
            f"{(settings.groq_api_base or GROQ_DEFAULT_BASE).rstrip('/')}/openai/v1/models",
            {"Authorization": f"Bearer {key}"},
        )
    if provider == "google_genai":
        key = settings.google_api_key.get_secret_value() if settings.google_api_key else ""
        return _list_models_probe(
            f"{(settings.gemini_api_base or GEMINI_DEFAULT_BASE).rstrip('/')}/v1beta/models",
            {"x-goog-api-key": key},
        )

    async def answer_once() -> None:
        from langchain_core.messages import HumanMessage, SystemMessage

        from chains.prompts import READINESS_PROBE_PASSAGE

        await model.ainvoke(
            [SystemMessage(READINESS_PROBE_PASSAGE), HumanMessage("What is this?")],
            {"callbacks": []},
        )

    return answer_once


def _list_models_probe(url: str, headers: dict[str, str]):
    async def list_models() -> None:
        import httpx

        async with httpx.AsyncClient(timeout=5) as client:
            response = await client.get(url, headers=headers)
            response.raise_for_status()

    return list_models


def load_chat_runnable(settings: Settings, *, embeddings: Embeddings | None = None) -> Runnable:
    """The configured chat model, with the fallback provider behind it when there is one."""
    from chains.model_health import model_health

    model_health().ttl_seconds = settings.llm_probe_ttl_seconds
    primary = load_chat_model(settings.resolved_chat_model, settings, embeddings=embeddings)
    fallback_name = settings.resolved_chat_fallback_model
    if not fallback_name or fallback_name == settings.resolved_chat_model:
        return primary
    fallback = load_chat_model(fallback_name, settings, embeddings=embeddings)
    return primary.with_fallbacks([fallback])


def load_embeddings(settings: Settings) -> Embeddings:
    """The configured embedding model; `.model_name` and `.dimension` describe its index."""
    provider, model = split_model_string(settings.resolved_embedding_model)
    if provider == "local":
        if model != "all-MiniLM-L6-v2":
            raise ValueError(f"the local provider bundles all-MiniLM-L6-v2 only, not {model!r}")
        return _local_minilm(settings.data_dir / "models")
    if provider == "google_genai":
        return _gemini_embeddings(settings)
    raise ValueError(f"unknown embedding provider {provider!r}")


@functools.lru_cache(maxsize=1)
def _local_minilm(cache_dir: Path):
    # One copy of the 90 MB model per process, shared by ingest, router and answerer.
    from chains.embeddings import LocalMiniLMEmbeddings

    return LocalMiniLMEmbeddings(cache_dir=cache_dir)


def _gemini_embeddings(settings: Settings) -> Embeddings:
    # Imported here: the Google SDK costs start-up time that offline runs need not pay.
    from langchain_google_genai import GoogleGenerativeAIEmbeddings

    class GeminiEmbeddings(GoogleGenerativeAIEmbeddings):
        """Gemini embeddings at a fixed 768 dimensions, described like the local model."""

        @property
        def model_name(self) -> str:
            return "google_genai/" + self.model.removeprefix("models/")

        @property
        def dimension(self) -> int:
            return self.output_dimensionality or GEMINI_EMBEDDING_DIMENSION

    return GeminiEmbeddings(
        model=f"models/{settings.resolved_embedding_model.split('/', 1)[1]}",
        google_api_key=settings.google_api_key,
        output_dimensionality=GEMINI_EMBEDDING_DIMENSION,
    )


@dataclass(frozen=True)
class ModelChoice:
    chat: str
    chat_fallback: str | None
    embeddings: str
    embedding_dimension: int
    offline: bool


def describe_models(settings: Settings, embeddings: Embeddings) -> ModelChoice:
    chat = settings.resolved_chat_model
    return ModelChoice(
        chat=chat,
        chat_fallback=settings.resolved_chat_fallback_model,
        embeddings=embeddings.model_name,
        embedding_dimension=embeddings.dimension,
        offline=chat.startswith("offline/"),
    )
