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


@dataclass(frozen=True)
class Site:
    """A dive site with its own file in content/."""

    name: str
    destination: str
    path: str


@dataclass(frozen=True)
class Mention:
    """A place named in a message, where it was named."""

    start: int
    end: int
    alias: str
    slug: str  # destination slug, or "uncovered:<name>"
    site: Site | None = None


def site_aliases(name: str) -> set[str]:
    """ "Manta Point (Makassar Reef)" is also "manta point" and "makassar reef"; "SS Yongala"
    is "yongala"; "Renggis Island" is "renggis"."""
    lower = name.lower().strip()
    bare = re.sub(r"\s*\(.*?\)", "", lower).strip()
    names = {lower, bare}
    inner = re.search(r"\((.*?)\)", lower)
    if inner and "others" not in inner.group(1):
        names |= {part.strip() for part in re.split(r",| and ", inner.group(1)) if part.strip()}
    for name_ in list(names):
        names.add(re.sub(r"^(ss|the) ", "", name_))
        names.add(name_.replace("-", " "))
    names |= {re.sub(r" (island|reef)$", "", n) for n in list(names) if len(n.split()) == 2}
    return {n for n in names if len(n) > 3}


@dataclass
class Gazetteer:
    aliases: dict[str, str] = field(default_factory=dict)  # name -> slug
    sites: dict[str, Site] = field(default_factory=dict)  # alias -> site

    @classmethod
    def default(
        cls, site_names: dict[str, str] | None = None, sites: list[Site] | None = None
    ) -> Gazetteer:
        aliases = {name: slug for slug, names in DESTINATION_ALIASES.items() for name in names}
        for name, slug in (site_names or {}).items():
            aliases.setdefault(name.lower(), slug)
        by_alias: dict[str, Site] = {}
        for site in sites or []:
            for alias in site_aliases(site.name):
                by_alias.setdefault(alias, site)
                aliases.setdefault(alias, site.destination)
        for name in UNCOVERED:
            aliases.setdefault(name, f"uncovered:{name}")
        return cls(aliases, by_alias)

    def __post_init__(self) -> None:
        self._regex = _pattern(self.aliases) if self.aliases else None

    def mentions(self, text: str) -> list[Mention]:
        """Every place the text names, in order."""
        if not self._regex:
            return []
        found = []
        for match in self._regex.finditer(text):
            alias = match.group(1).lower()
            found.append(
                Mention(
                    match.start(), match.end(), alias, self.aliases[alias], self.sites.get(alias)
                )
            )
        return found

    def find(self, text: str) -> str | None:
        """The destination slug the text names last ("uncovered:<name>" for unknown places)."""
        found = self.mentions(text)
        return found[-1].slug if found else None


def is_covered(slug: str | None) -> bool:
    return bool(slug) and not slug.startswith("uncovered:")


def place_name(slug: str) -> str:
    if slug.startswith("uncovered:"):
        return slug.split(":", 1)[1].title()
    return DESTINATION_ALIASES.get(slug, (slug,))[0].title()
