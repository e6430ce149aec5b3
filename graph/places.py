"""Which destination a message is about: names and aliases of the knowledge base's places.

Site names come from the `dive_sites` table when the services start, so a new site in
content/ is recognised without a code change. Places divers ask about that the knowledge
base does not cover are recognised too, so the trip agent can say so instead of answering
with facts about somewhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# slug -> names a diver might use (lower case)
DESTINATION_ALIASES: dict[str, tuple[str, ...]] = {
    "tioman": ("tioman", "pulau tioman", "tekek", "salang", "juara"),
    "sipadan": ("sipadan", "semporna", "mabul", "kapalai", "sabah", "mataking"),
    "redang": ("redang", "perhentian", "perhentians", "lang tengah", "terengganu"),
    "komodo": ("komodo", "labuan bajo", "flores", "rinca"),
    "raja-ampat": ("raja ampat", "rajah ampat", "waigeo", "misool", "sorong"),
    "philippines-moalboal": (
        "moalboal",
        "malapascua",
        "cebu",
        "pescador",
        "panagsama",
        "anilao",
        "philippines",
    ),
    "thailand-similan": (
        "similan",
        "similans",
        "richelieu",
        "koh tao",
        "khao lak",
        "koh bon",
        "phuket",
        "thailand",
    ),
    "red-sea": (
        "red sea",
        "hurghada",
        "sharm",
        "sharm el sheikh",
        "marsa alam",
        "dahab",
        "egypt",
        "ras mohammed",
        "thistlegorm",
    ),
    "maldives": ("maldives", "maldive", "ari atoll", "baa atoll", "male atoll", "hanifaru"),
    "great-barrier-reef": (
        "great barrier reef",
        "gbr",
        "cairns",
        "port douglas",
        "cod hole",
        "osprey reef",
        "yongala",
        "townsville",
        "coral sea",
    ),
}
COUNTRY_OF = {
    "tioman": "Malaysia",
    "sipadan": "Malaysia",
    "redang": "Malaysia",
    "komodo": "Indonesia",
    "raja-ampat": "Indonesia",
    "philippines-moalboal": "Philippines",
    "thailand-similan": "Thailand",
    "red-sea": "Egypt",
    "maldives": "Maldives",
    "great-barrier-reef": "Australia",
}
# Well-known places the knowledge base does not cover (yet).
UNCOVERED = (
    "bali",
    "nusa penida",
    "lembeh",
    "bunaken",
    "wakatobi",
    "cozumel",
    "galapagos",
    "palau",
    "truk",
    "chuuk",
    "fiji",
    "tahiti",
    "hawaii",
    "belize",
    "bonaire",
    "azores",
    "malta",
    "socorro",
    "cocos island",
    "sri lanka",
    "okinawa",
    "mozambique",
    "tofo",
    "seychelles",
    "zanzibar",
    "florida",
    "bahamas",
    "cayman",
    "roatan",
    "dahab blue hole",
    "andaman",
)


def _pattern(names) -> re.Pattern:
    ordered = sorted(set(names), key=len, reverse=True)  # "red sea" before "sea"
    return re.compile(r"\b(" + "|".join(re.escape(n) for n in ordered) + r")\b", re.IGNORECASE)


@dataclass
class Gazetteer:
    aliases: dict[str, str] = field(default_factory=dict)  # name -> slug

    @classmethod
    def default(cls, site_names: dict[str, str] | None = None) -> Gazetteer:
        aliases = {name: slug for slug, names in DESTINATION_ALIASES.items() for name in names}
        for name, slug in (site_names or {}).items():
            aliases.setdefault(name.lower(), slug)
        for name in UNCOVERED:
            aliases.setdefault(name, f"uncovered:{name}")
        return cls(aliases)

    def __post_init__(self) -> None:
        self._regex = _pattern(self.aliases) if self.aliases else None

    def find(self, text: str) -> str | None:
        """The destination slug the text names last ("uncovered:<name>" for unknown places)."""
        if not self._regex:
            return None
        found = [self.aliases[m.group(1).lower()] for m in self._regex.finditer(text)]
        return found[-1] if found else None


def is_covered(slug: str | None) -> bool:
    return bool(slug) and not slug.startswith("uncovered:")


def place_name(slug: str) -> str:
    if slug.startswith("uncovered:"):
        return slug.split(":", 1)[1].title()
    return DESTINATION_ALIASES.get(slug, (slug,))[0].title()
