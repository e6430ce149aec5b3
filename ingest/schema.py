"""The front-matter schema of the knowledge base, one pydantic model per document type.

content/README.md describes the same schema for editors; `dovvybuddy ingest validate`
checks every file against it.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Month = Literal["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# Ordered from least to most qualified: a diver may dive a site whose minimum is at or
# below their own level.
CERTIFICATION_LEVELS = ("discover", "open_water", "advanced_open_water", "deep")


def _ordered_pair(value: list[int], unit: str) -> list[int]:
    low, high = value
    if low > high:
        raise ValueError(f"[min, max] expected, got [{low}, {high}] {unit}")
    return value


class Common(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_type: str
    title: Annotated[str, StringConstraints(min_length=3, max_length=120)]
    description: Annotated[str, StringConstraints(min_length=10, max_length=200)]
    tags: Annotated[
        list[Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9 -]*$")]],
        Field(min_length=2),
    ]
    last_updated: dt.date
    sources: Annotated[list[Annotated[str, StringConstraints(min_length=3)]], Field(min_length=1)]


class CertificationDoc(Common):
    doc_type: Literal["certification"]
    agency: Literal["PADI", "SSI", "NAUI", "CMAS", "BSAC", "multi"]
    level: Literal[
        "try_dive", "entry", "advanced", "rescue", "professional", "specialty", "reference"
    ]
    min_age: Annotated[int, Field(ge=8, le=21)] | None = None
    max_depth_m: Annotated[int, Field(ge=5, le=60)] | None = None


class DestinationDoc(Common):
    doc_type: Literal["destination"]
    destination: Slug
    country: Annotated[str, StringConstraints(min_length=2)]
    region: Annotated[str, StringConstraints(min_length=2)]
    best_months: Annotated[list[Month], Field(min_length=1, max_length=12)]
    water_temp_c: Annotated[
        list[Annotated[int, Field(ge=0, le=35)]], Field(min_length=2, max_length=2)
    ]
    visibility_m: Annotated[
        list[Annotated[int, Field(ge=0, le=80)]], Field(min_length=2, max_length=2)
    ]

    @field_validator("water_temp_c")
    @classmethod
    def _temperature(cls, value: list[int]) -> list[int]:
        return _ordered_pair(value, "°C")

    @field_validator("visibility_m")
    @classmethod
    def _visibility(cls, value: list[int]) -> list[int]:
        return _ordered_pair(value, "m")


class DiveSiteDoc(Common):
    doc_type: Literal["dive_site"]
    destination: Slug
    site_name: Annotated[str, StringConstraints(min_length=2)]
    depth_range_m: Annotated[
        list[Annotated[int, Field(ge=0, le=130)]], Field(min_length=2, max_length=2)
    ]
    min_certification: Literal["discover", "open_water", "advanced_open_water", "deep"]
    difficulty: Literal["beginner", "intermediate", "advanced"]
    current: Literal["none", "mild", "moderate", "strong"]
    site_type: Literal["reef", "wall", "wreck", "pinnacle", "muck", "drift", "slope", "cave"]
    highlights: Annotated[list[str], Field(min_length=1)]
    # A protected spot visited only with mask and snorkel (Hanifaru Bay): never listed as a
    # scuba dive for anyone's level, whatever its min_certification says.
    snorkel_only: bool = False

    @field_validator("depth_range_m")
    @classmethod
    def _depth(cls, value: list[int]) -> list[int]:
        return _ordered_pair(value, "m")


class SafetyDoc(Common):
    doc_type: Literal["safety"]
    topic: Slug | None = None


class GeneralDoc(Common):
    doc_type: Literal["general"]
    topic: Slug | None = None


SCHEMAS: dict[str, type[Common]] = {
    "certification": CertificationDoc,
    "destination": DestinationDoc,
    "dive_site": DiveSiteDoc,
    "safety": SafetyDoc,
    "general": GeneralDoc,
}
