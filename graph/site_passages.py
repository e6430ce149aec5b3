"""What the dive_sites table says about a destination's sites for the diver's level.

The trip agent answers "is Sipadan OK for me?" or "which sites suit an Open Water diver?"
from the sites' own front matter (depths, the certification each needs) rather than from
whichever passages ranked: a verdict on the site in focus, or the place's sites split by
what the diver's certification allows, lead the turn's passages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from chains import prompts
from chains.passages import VERDICT_SECTION, Passage
from chains.questions import heading_answers
from graph.context import Context
from graph.focus import Focus, courses_asked_about, courses_held
from graph.leads import BOOKING
from graph.places import is_covered, place_name
from graph.profile import depth_limit, site_certification
from graph.state import DiverProfile

SITE_QUESTION = re.compile(
    r"\b(sites?|spots?|where|suit\w*|beginners?|my level|recommend\w*|which|easy|"
    r"shallow|good for me|ok for me|okay for me|can i dive|my card|for me|"
    r"(open water|advanced) (diver|friend))\b",
    re.IGNORECASE,
)


def _details(row) -> dict:
    return {
        "depth_min": row["depth_min_m"],
        "depth_max": row["depth_max_m"],
        "difficulty": row["difficulty"],
        "current": row["current"],
        "certification": prompts.CERTIFICATION_NAMES.get(
            row["min_certification"], row["min_certification"]
        ),
    }


def _level_passage(place: str, destination: str, text: str, path: str | None = None) -> Passage:
    return Passage(
        path=path or f"destinations/{destination}/index.md",
        title=f"{place} dive sites",
        section=VERDICT_SECTION,
        content=f"{place} dive sites\n{text}",
        doc_type="destination",
        destination=destination,
        score=1.0,
        similarity=1.0,
    )


@dataclass(frozen=True)
class SitesForLevel:
    """A destination's dive sites, and the paths of those the diver's certification allows
    (None when the level is unknown)."""

    every: list[dict]
    allowed: set[str] | None

    @property
    def beyond(self) -> set[str]:
        if self.allowed is None:
            return set()
        return {row["path"] for row in self.every} - self.allowed


async def _sites_for_level(
    context: Context, profile: DiverProfile, destination: str
) -> SitesForLevel:
    every = await context.sites.sites(destination)
    level = profile.get("certification_level")
    if not every or not level:
        return SitesForLevel(every, None)
    fitting = await context.sites.sites(
        destination, certification=site_certification(level), max_depth_m=depth_limit(level)
    )
    return SitesForLevel(every, {row["path"] for row in fitting})


def _site_passages(
    profile: DiverProfile, focus: Focus, destination: str, sites: SitesForLevel
) -> list[Passage]:
    """What the dive_sites table says about the diver's level at `destination`.

    A verdict on the site in focus first ("Barracuda Point needs Advanced Open Water, so it
    is beyond an Open Water diver for now"), then the destination's sites split by what
    the diver's certification allows; so "is Sipadan OK for me?" is answered from the
    sites' own front matter rather than from whichever passages ranked.
    """
    every, allowed = sites.every, sites.allowed
    if not every:
        return []
    level = profile.get("certification_level")
    place = place_name(destination)
    level_name = prompts.LEVEL_NAMES.get(level or "", "you")
    passages = []
    site_path = focus.get("site_path")
    site = next((row for row in every if row["path"] == site_path), None)
    if site is not None:
        fields = {"site": site["name"], "level": level_name, **_details(site)}
        if site["snorkel_only"]:
            verdict = prompts.SITE_SNORKEL_ONLY.format(**fields)
        elif allowed is None:
            verdict = prompts.SITE_REQUIREMENT.format(**fields)
        elif site["path"] in allowed:
            verdict = prompts.SITE_SUITS.format(**fields)
        else:
            verdict = prompts.SITE_BEYOND.format(**fields)
        passages.append(_level_passage(site["name"], destination, verdict, site["path"]))
        if allowed is None or site["path"] in allowed or site["snorkel_only"]:
            # The site itself answers; the other sites are worth listing only as the
            # alternatives to one beyond the diver's level.
            return passages

    def describe(row) -> str:
        return prompts.SITE_DETAILS.format(name=row["name"], **_details(row))

    snorkel_only = [r["name"] for r in every if r["snorkel_only"]]
    every = [r for r in every if not r["snorkel_only"]]
    if not every:
        text = prompts.SNORKEL_ONLY_SITES.format(sites=", ".join(snorkel_only))
        return [*passages, _level_passage(place, destination, text)]
    if allowed is None:
        text = prompts.SITES_BY_REQUIREMENT.format(
            place=place,
            sites="; ".join(
                prompts.SITE_NEEDS.format(
                    site=describe(r), certification=_details(r)["certification"]
                )
                for r in every
            ),
        )
    else:
        suitable = [describe(r) for r in every if r["path"] in allowed]
        beyond = [
            f"{r['name']} ({_details(r)['certification']})"
            for r in every
            if r["path"] not in allowed
        ]
        text = prompts.SITES_FOR_LEVEL.format(
            place=place,
            level=level_name,
            sites="; ".join(suitable) if suitable else prompts.NO_SITES_FOR_LEVEL,
        )
        if beyond:
            text += " " + prompts.SITES_BEYOND_LEVEL.format(sites=", ".join(beyond))
    if snorkel_only:
        text += " " + prompts.SNORKEL_ONLY_SITES.format(sites=", ".join(snorkel_only))
    passages.append(_level_passage(place, destination, text))
    return passages


def _speaks_for_a_place(passage: Passage, beyond: set[str]) -> bool:
    """Whether a passage may stand beside the table's verdict on a whole place's sites.

    A site page's own verdict ("Who it suits": "fine for Open Water divers with a guide")
    would read as said of the whole place, and a site beyond the diver's level is no
    suggestion; but what a suitable site is like (its mantas, its months, its depth) is
    what "anywhere I can see mantas at my level?" asks, and only its page says it.
    """
    if passage["doc_type"] != "dive_site":
        return True
    path = passage["path"]
    return path not in beyond and not heading_answers("suitability", passage["section"] or "")


def _asks_about_level(question: str, focus: Focus) -> bool:
    # "Can you recommend a dive shop?" asks for a shop, not for sites.
    asked = BOOKING.sub(" ", question)
    # "Will I need AOW for the Similans or is OW fine?": what a place requires of a diver is
    # the level its sites need.
    requires_a_level = focus.get("topic") == "requirements" and bool(
        courses_asked_about(asked) or courses_held(asked)
    )
    return (
        focus.get("topic") == "suitability" or requires_a_level or bool(SITE_QUESTION.search(asked))
    )


async def with_site_levels(
    context: Context,
    question: str,
    focus: Focus,
    profile: DiverProfile,
    passages: list[Passage],
) -> list[Passage]:
    """`passages` led by the table's passages for the diver's level, when the turn asks
    what suits the diver at the place (or places) in focus; not when the turn asks for
    other places than the one in focus ("where else could I go?")."""
    if focus.get("elsewhere") or not _asks_about_level(question, focus):
        return passages
    destination = focus.get("destination")
    places = [d for d in focus.get("compare") or [destination] if is_covered(d)]
    levels = {d: await _sites_for_level(context, profile, d) for d in places}
    levelled = [p for d in places for p in _site_passages(profile, focus, d, levels[d])]
    if not focus.get("site_path"):
        beyond = {path for sites in levels.values() for path in sites.beyond}
        passages = [p for p in passages if _speaks_for_a_place(p, beyond)]
    return levelled + passages
