"""Request and response bodies of the web contract: camelCase out, snake_case accepted in."""

from __future__ import annotations

import html
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

SESSION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
SESSION_ID = re.compile(SESSION_ID_PATTERN)
AgentType = Literal["emergency", "certification", "trip", "safety", "general", "off_topic"]
_TAG = re.compile(r"<[^>]{0,500}>")
# NUL and lone surrogates cannot be stored by Postgres; other control characters mean
# nothing to a diver.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[A-Za-z]{2,}$")


class ApiModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


def clean_text(value: str) -> str:
    """Strip HTML tags and surrounding space; words like "ignore" or "act as" are fine."""
    return _CONTROL.sub("", html.unescape(_TAG.sub(" ", value))).strip()


class ChatRequest(ApiModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    message: str = Field(description="The diver's message: 1-2000 characters once trimmed.")
    session_id: Annotated[str, Field(pattern=SESSION_ID_PATTERN)] | None = None
    diver_profile: dict[str, Any] | None = Field(
        default=None, description="What the client already knows about the diver."
    )

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        cleaned = clean_text(value)
        if not cleaned:
            raise ValueError("message is empty")
        if len(cleaned) > 2000:
            raise ValueError("message is longer than 2000 characters")
        return cleaned


class Citation(ApiModel):
    path: str
    title: str
    section: str


class ChatMetadata(ApiModel):
    route: AgentType
    confidence: float
    lead_offer: bool = False
    lead_type: Literal["training", "trip"] | None = None
    safety_flags: list[str] = Field(default_factory=list)
    diver_profile: dict[str, Any] = Field(default_factory=dict)
    session_expired: bool = Field(
        default=False, description="The requested session was unknown or expired: a new one began."
    )


class ChatResponse(ApiModel):
    message: str
    session_id: str
    agent_type: AgentType
    follow_up_question: str | None
    citations: list[Citation]
    metadata: ChatMetadata


class SessionMessage(ApiModel):
    role: Literal["user", "assistant"]
    content: str
    created_at: str | None = None


class SessionResponse(ApiModel):
    id: str
    messages: list[SessionMessage]
    diver_profile: dict[str, Any]
    created_at: str
    updated_at: str


class LeadCommon(ApiModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _strip_control(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: _CONTROL.sub("", v) if isinstance(v, str) else v for k, v in data.items()}
        return data

    name: Annotated[str, Field(min_length=1, max_length=100)]
    email: Annotated[str, Field(max_length=254)]
    phone: Annotated[str, Field(max_length=20)] | None = None
    message: Annotated[str, Field(max_length=2000)] | None = None

    @field_validator("name", "message")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        if value is None:
            return None
        cleaned = clean_text(value)
        if not cleaned and value:
            raise ValueError("must not be empty")
        return cleaned

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        value = value.strip()
        if not _EMAIL.match(value):
            raise ValueError("is not a valid e-mail address")
        return value

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"[0-9+()\-. ]{3,20}", value.strip()):
            raise ValueError("may hold digits, spaces and + ( ) - . only")
        return value.strip() if value else value


class TrainingLead(LeadCommon):
    current_level: Annotated[str, Field(max_length=100)] | None = None
    course_wanted: Annotated[str, Field(max_length=100)] | None = None
    preferred_location: Annotated[str, Field(max_length=100)] | None = None


class TripLead(LeadCommon):
    destination: Annotated[str, Field(min_length=1, max_length=100)]
    travel_dates: Annotated[str, Field(max_length=100)] | None = None
    group_size: Annotated[int, Field(ge=1, le=50)] | None = None
    budget: Annotated[str, Field(max_length=100)] | None = None


class LeadRequest(ApiModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    type: Literal["training", "trip"]
    data: dict[str, Any]
    session_id: Annotated[str, Field(pattern=SESSION_ID_PATTERN)] | None = None
    # Left empty by people; bots fill every field they find.
    website: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="Honeypot: must be left empty."
    )


class LeadResponse(ApiModel):
    success: Literal[True] = True
    lead_id: str


class HealthResponse(ApiModel):
    status: Literal["healthy"]
    version: str


class ReadyResponse(ApiModel):
    status: Literal["ready", "not_ready"]
    version: str
    checks: dict[str, dict[str, Any]]


class ErrorBody(ApiModel):
    code: str
    message: str
    details: Any | None = None


class ErrorResponse(ApiModel):
    error: ErrorBody
