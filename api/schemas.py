"""Request and response bodies of the web contract: camelCase out, snake_case accepted in."""

from __future__ import annotations

import html
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic.alias_generators import to_camel

SESSION_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$"
SESSION_ID = re.compile(SESSION_ID_PATTERN)
# A thread id a LangServe client chooses: a UUID, so it cannot be guessed or collide.
THREAD_ID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
THREAD_ID = re.compile(THREAD_ID_PATTERN)
# A message must hold at least one character that is neither space nor a control character.
VISIBLE_PATTERN = r"[^\s\x00-\x1f\x7f]"
VISIBLE = re.compile(VISIBLE_PATTERN)
MESSAGE_MAX = 2000
EMAIL_PATTERN = r"^[^@\x00-\x20\x7f]{1,64}@[^@\x00-\x20\x7f]+\.[A-Za-z]{2,}$"
PHONE_PATTERN = r"^[0-9+()\-. ]{3,20}$"
AgentType = Literal["emergency", "certification", "trip", "safety", "general", "off_topic"]
_TAG = re.compile(r"<[^>]{0,500}>")
# NUL and lone surrogates cannot be stored by Postgres; other control characters mean
# nothing to a diver.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _json_integer(value: Any) -> Any:
    # JSON Schema's integer: 3 and 3.0, never "3" or true (which pydantic would coerce).
    if isinstance(value, str | bool):
        raise ValueError("must be an integer")
    return value


def json_integer(minimum: int, maximum: int) -> Any:
    """An integer field in [minimum, maximum] (the bounds first, so the schema shows them)."""
    return Annotated[int, Field(ge=minimum, le=maximum), BeforeValidator(_json_integer)]


class ApiModel(BaseModel):
    # Python's re, as the contract's generated clients and tests read the patterns.
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, regex_engine="python-re"
    )


def clean_text(value: str) -> str:
    """Strip HTML tags and surrounding space; words like "ignore" or "act as" are fine."""
    return _CONTROL.sub("", html.unescape(_TAG.sub(" ", value))).strip()


def clean_message(value: str) -> str:
    """The text a turn carries: cleaned, or — when cleaning would leave nothing, as with
    "<b>" — the text itself without control characters. Never empty for a value that
    matches VISIBLE_PATTERN."""
    if not VISIBLE.search(value):
        raise ValueError("must contain a visible character")
    return clean_text(value) or _CONTROL.sub("", value).strip()


def _visible(description: str, max_length: int) -> Any:
    return Field(
        min_length=1,
        max_length=max_length,
        description=description,
        json_schema_extra={"pattern": VISIBLE_PATTERN},
    )


def _without_lone_surrogates(value: Any) -> Any:
    # JSON may carry "\ud911"; pydantic refuses such a str outright, so it is dropped here,
    # like the other characters Postgres cannot store, before the type is checked.
    return _SURROGATE.sub("", value) if isinstance(value, str) else value


MessageText = Annotated[
    str,
    BeforeValidator(_without_lone_surrogates),
    _visible(
        "The diver's message: 1-2000 characters, at least one of them neither space nor a "
        "control character. HTML tags and control characters are removed before use.",
        MESSAGE_MAX,
    ),
]


class ChatRequest(ApiModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", regex_engine="python-re"
    )

    message: MessageText
    session_id: Annotated[str, Field(pattern=SESSION_ID_PATTERN)] | None = None
    diver_profile: dict[str, Any] | None = Field(
        default=None, description="What the client already knows about the diver."
    )

    @field_validator("message")
    @classmethod
    def _message(cls, value: str) -> str:
        return clean_message(value)


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
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="forbid", regex_engine="python-re"
    )

    name: Annotated[str, _visible("1-100 characters, at least one visible.", 100)]
    email: Annotated[str, Field(max_length=254, pattern=EMAIL_PATTERN)]
    phone: Annotated[str, Field(pattern=PHONE_PATTERN)] | None = None
    message: Annotated[str, Field(max_length=MESSAGE_MAX)] | None = None

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        return clean_message(value)

    @field_validator("message")
    @classmethod
    def _message(cls, value: str | None) -> str | None:
        return clean_text(value) or None if value is not None else None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str) -> str:
        return value.strip()

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None


class TrainingLead(LeadCommon):
    current_level: Annotated[str, Field(max_length=100)] | None = None
    course_wanted: Annotated[str, Field(max_length=100)] | None = None
    preferred_location: Annotated[str, Field(max_length=100)] | None = None

    @field_validator("current_level", "course_wanted", "preferred_location")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return clean_text(value) or None if value is not None else None


class TripLead(LeadCommon):
    destination: Annotated[str, _visible("1-100 characters, at least one visible.", 100)]
    travel_dates: Annotated[str, Field(max_length=100)] | None = None
    group_size: json_integer(1, 50) | None = None
    budget: Annotated[str, Field(max_length=100)] | None = None

    @field_validator("destination")
    @classmethod
    def _destination(cls, value: str) -> str:
        return clean_message(value)

    @field_validator("travel_dates", "budget")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return clean_text(value) or None if value is not None else None


class _LeadRequestBase(ApiModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", regex_engine="python-re"
    )

    session_id: Annotated[str, Field(pattern=SESSION_ID_PATTERN)] | None = None
    # Left empty by people; bots fill every field they find.
    website: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="Honeypot: must be left empty."
    )


class TrainingLeadRequest(_LeadRequestBase):
    type: Literal["training"]
    data: TrainingLead


class TripLeadRequest(_LeadRequestBase):
    type: Literal["trip"]
    data: TripLead


# The lead's fields depend on its type: one schema per type, told apart by `type`.
LeadRequest = Annotated[TrainingLeadRequest | TripLeadRequest, Field(discriminator="type")]


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
