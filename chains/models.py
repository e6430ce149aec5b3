"""One factory for every model: chat models and embeddings from "provider/model" strings.

Providers:
  google_genai/<model>   Gemini (GOOGLE_API_KEY), e.g. google_genai/gemini-2.5-flash
  groq/<model>           Groq (GROQ_API_KEY), e.g. groq/llama-3.3-70b-versatile
  offline/extractive     the extractive answerer (no key, no network)
  local/all-MiniLM-L6-v2 the bundled offline embedding model (384 dims)
  google_genai/gemini-embedding-001   Gemini embeddings at 768 dims

Hosted chat models get a timeout and retries with exponential backoff on 429/5xx (both
SDKs implement the backoff); when two providers are configured the second is a fallback.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass

from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.runnables import Runnable

from config.settings import Settings

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
    """Build one chat model from a "provider/model" string."""
    provider, model = split_model_string(fully_specified_name)
    if provider == "google_genai":
        from langchain_google_genai import ChatGoogleGenerativeAI

        return ChatGoogleGenerativeAI(
            model=model,
            google_api_key=settings.google_api_key,
            temperature=settings.llm_temperature,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
    if provider == "groq":
        from langchain_groq import ChatGroq

        return ChatGroq(
            model=model,
            api_key=settings.groq_api_key,
            temperature=settings.llm_temperature,
            timeout=settings.llm_timeout_seconds,
            max_retries=settings.llm_max_retries,
        )
    if provider == "offline":
        if model != "extractive":
            raise ValueError(f"the offline provider has one model, 'extractive', not {model!r}")
        from chains.extractive import ExtractiveAnswerer

        return ExtractiveAnswerer(embeddings=embeddings)
    raise ValueError(f"unknown chat provider {provider!r}")


def load_chat_runnable(settings: Settings, *, embeddings: Embeddings | None = None) -> Runnable:
    """The configured chat model, with the fallback provider behind it when there is one."""
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
        return _local_minilm()
    if provider == "google_genai":
        return _gemini_embeddings(settings)
    raise ValueError(f"unknown embedding provider {provider!r}")


@functools.lru_cache(maxsize=1)
def _local_minilm():
    # One copy of the 90 MB model per process, shared by ingest, router and answerer.
    from chains.embeddings import LocalMiniLMEmbeddings

    return LocalMiniLMEmbeddings()


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
