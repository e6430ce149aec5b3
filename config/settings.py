"""The one typed settings object.

Every environment variable the service reads is a field here; the README and
`.env.example` list the same names. A wrong value stops start-up with a message that
names the variable, because a half-configured assistant is worse than none.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AliasChoices,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings.exceptions import SettingsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent

CHAT_PROVIDERS = ("google_genai", "groq", "offline")
EMBEDDING_PROVIDERS = ("google_genai", "local")

OFFLINE_CHAT_MODEL = "offline/extractive"
LOCAL_EMBEDDING_MODEL = "local/all-MiniLM-L6-v2"
GEMINI_CHAT_MODEL = "google_genai/gemini-2.5-flash"
GROQ_CHAT_MODEL = "groq/llama-3.3-70b-versatile"
GEMINI_EMBEDDING_MODEL = "google_genai/gemini-embedding-001"
SENTRY_DSN = re.compile(r"^https?://[^@/\s]+@[^/\s]+/\S+$")


class ConfigurationError(RuntimeError):
    """Raised when the environment holds a value the service cannot run with."""


def _check_model_string(value: str, providers: tuple[str, ...], *, allow_none: bool) -> str:
    value = value.strip()
    if value in ("auto",) or (allow_none and value == "none"):
        return value
    provider, sep, model = value.partition("/")
    if not sep or not model:
        raise ValueError(f'expected "provider/model" or "auto", got {value!r}')
    if provider not in providers:
        raise ValueError(f"unknown provider {provider!r}; choose one of {', '.join(providers)}")
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        case_sensitive=False,
    )

    # --- database -------------------------------------------------------------------------
    database_url: str | None = Field(
        default=None,
        description="Postgres >= 15 with pgvector. Unset: an embedded Postgres 16 in DATA_DIR.",
    )
    data_dir: Path = Field(
        default=PROJECT_ROOT / ".dovvybuddy",
        description="Where the embedded database and other local state live.",
    )
    embedded_db_name: str = Field(default="dovvybuddy", pattern=r"^[a-z_][a-z0-9_]{0,62}$")
    db_pool_min_size: int = Field(default=1, ge=1, le=100)
    db_pool_max_size: int = Field(default=10, ge=1, le=200)

    # --- models ---------------------------------------------------------------------------
    chat_model: str = Field(default="auto", description='"provider/model" or "auto".')
    chat_fallback_model: str = Field(
        default="auto", description='"provider/model", "auto" or "none".'
    )
    embedding_model: str = Field(default="auto", description='"provider/model" or "auto".')
    google_api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("GOOGLE_API_KEY", "GEMINI_API_KEY")
    )
    groq_api_key: SecretStr | None = None
    llm_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    llm_max_retries: int = Field(default=2, ge=0, le=10)
    llm_temperature: float = Field(default=0.3, ge=0, le=2)
    groq_api_base: str | None = Field(
        default=None, description="Groq's base URL (unset: the SDK's own), e.g. a local proxy."
    )
    gemini_api_base: str | None = Field(
        default=None, description="Gemini's base URL (unset: the SDK's own), e.g. a local proxy."
    )
    llm_probe_ttl_seconds: float = Field(
        default=30.0,
        gt=0,
        le=3600,
        description="/ready trusts a chat model's last outcome (or probe) this long.",
    )

    # --- tracing ---------------------------------------------------------------------------
    langsmith_api_key: SecretStr | None = None
    langsmith_project: str = "dovvybuddy"

    # --- knowledge base -------------------------------------------------------------------
    content_dir: Path = Field(default=PROJECT_ROOT / "content")
    retrieval_k: int = Field(default=5, ge=1, le=50)
    answer_selection: Literal["fitted", "hand"] = Field(
        default="fitted",
        description="The offline answerer's sentence blend: fitted weights or the hand blend.",
    )

    # --- HTTP -----------------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:3000", "http://127.0.0.1:3000"]
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"
    stall_log_ms: float = Field(
        default=0,
        ge=0,
        description="Log event-loop stalls and garbage collections this long (ms); 0: off.",
    )
    max_body_bytes: int = Field(default=64 * 1024, ge=1024, le=10 * 1024 * 1024)
    chat_rate_limit: str = Field(default="30/minute", pattern=r"^\d+/(second|minute|hour)$")
    leads_rate_limit: str = Field(default="5/minute", pattern=r"^\d+/(second|minute|hour)$")
    redis_url: str | None = None
    forwarded_allow_ips: str = Field(
        default="",
        description="Peers whose X-Forwarded-For/-Proto are believed (comma-separated IPs or "
        'networks, or "*"); empty: none, the TCP peer is the client.',
    )

    # --- sessions ---------------------------------------------------------------------------
    session_ttl_hours: float = Field(default=24.0, gt=0, le=24 * 365)
    session_cookie: bool = True

    # --- leads ------------------------------------------------------------------------------
    lead_webhook_url: str | None = None
    lead_sink_file: Path | None = Field(
        default=None, description="Offline delivery: JSON lines appended here (default DATA_DIR)."
    )
    lead_max_attempts: int = Field(default=8, ge=1, le=50)
    lead_retry_base_seconds: float = Field(default=5.0, gt=0, le=3600)

    # --- operations: metrics and error reports -----------------------------------------------
    metrics_token: SecretStr | None = Field(
        default=None, description="When set, /metrics needs `Authorization: Bearer <token>`."
    )
    sentry_dsn: SecretStr | None = Field(default=None, description="Sentry error reports.")
    sentry_environment: str = "development"
    sentry_traces_sample_rate: float = Field(default=0.0, ge=0, le=1)

    @field_validator("chat_model")
    @classmethod
    def _chat_model(cls, value: str) -> str:
        return _check_model_string(value, CHAT_PROVIDERS, allow_none=False)

    @field_validator("chat_fallback_model")
    @classmethod
    def _fallback_model(cls, value: str) -> str:
        return _check_model_string(value, CHAT_PROVIDERS, allow_none=True)

    @field_validator("embedding_model")
    @classmethod
    def _embedding_model(cls, value: str) -> str:
        return _check_model_string(value, EMBEDDING_PROVIDERS, allow_none=False)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        # Accept the friendly comma-separated form as well as JSON.
        if isinstance(value, str):
            if value.strip().startswith("["):
                import json

                return json.loads(value)
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("cors_origins")
    @classmethod
    def _no_wildcard(cls, value: list[str]) -> list[str]:
        if "*" in value:
            raise ValueError("a wildcard origin is not allowed; list the origins explicitly")
        return value

    @field_validator("redis_url", "lead_webhook_url", "groq_api_base", "gemini_api_base")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if isinstance(value, str) else value

    @field_validator("sentry_dsn", "metrics_token")
    @classmethod
    def _secret_or_unset(cls, value: SecretStr | None, info) -> SecretStr | None:
        text = value.get_secret_value().strip() if value is not None else ""
        if not text:
            return None
        if info.field_name == "sentry_dsn" and not SENTRY_DSN.match(text):
            # The value is a secret: say what is expected, never echo it.
            raise ValueError("expected a Sentry DSN: https://<key>@<host>/<project id>")
        return SecretStr(text)

    @field_validator("database_url")
    @classmethod
    def _postgres_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not value.startswith(("postgresql://", "postgres://")):
            raise ValueError("must start with postgresql:// (any Postgres >= 15 with pgvector)")
        return value.strip()

    @model_validator(mode="after")
    def _keys_for_chosen_providers(self) -> Settings:
        needs = {
            "google_genai": ("GOOGLE_API_KEY", self.google_api_key),
            "groq": ("GROQ_API_KEY", self.groq_api_key),
        }
        for variable, value in (
            ("CHAT_MODEL", self.chat_model),
            ("CHAT_FALLBACK_MODEL", self.chat_fallback_model),
            ("EMBEDDING_MODEL", self.embedding_model),
        ):
            provider = value.split("/", 1)[0]
            if provider in needs and not needs[provider][1]:
                raise ValueError(f"{variable}={value} needs {needs[provider][0]} to be set")
        if self.db_pool_min_size > self.db_pool_max_size:
            raise ValueError("DB_POOL_MIN_SIZE must not exceed DB_POOL_MAX_SIZE")
        return self

    # --- resolved choices -----------------------------------------------------------------
    @property
    def resolved_lead_sink_file(self) -> Path:
        return self.lead_sink_file or self.data_dir / "leads-delivered.jsonl"

    @property
    def resolved_chat_model(self) -> str:
        if self.chat_model != "auto":
            return self.chat_model
        if self.google_api_key:
            return GEMINI_CHAT_MODEL
        if self.groq_api_key:
            return GROQ_CHAT_MODEL
        return OFFLINE_CHAT_MODEL

    @property
    def resolved_chat_fallback_model(self) -> str | None:
        if self.chat_fallback_model == "none":
            return None
        if self.chat_fallback_model != "auto":
            return self.chat_fallback_model
        primary = self.resolved_chat_model.split("/", 1)[0]
        if primary == "google_genai" and self.groq_api_key:
            return GROQ_CHAT_MODEL
        if primary == "groq" and self.google_api_key:
            return GEMINI_CHAT_MODEL
        return None

    @property
    def resolved_embedding_model(self) -> str:
        if self.embedding_model != "auto":
            return self.embedding_model
        return GEMINI_EMBEDDING_MODEL if self.google_api_key else LOCAL_EMBEDDING_MODEL


def _describe(error: ValidationError) -> str:
    lines = []
    for item in error.errors():
        name = str(item["loc"][0]).upper() if item["loc"] else "configuration"
        if not item["loc"]:  # model-level checks already name their variables
            lines.append(f"  {item['msg'].removeprefix('Value error, ')}")
            continue
        lines.append(f"  {name}: {item['msg']}")
    return "Invalid configuration:\n" + "\n".join(lines)


@functools.lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Read the environment once; raise ConfigurationError naming each bad variable."""
    try:
        return Settings()
    except ValidationError as error:
        raise ConfigurationError(_describe(error)) from None
    except SettingsError as error:  # a value the environment source could not even parse
        raise ConfigurationError(f"Invalid configuration:\n  {error}") from None
