"""Which destination a message is about: names and aliases of the knowledge base's places.

Site names come from the `dive_sites` table when the services start, so a new site in
content/ is recognised without a code change. Places divers ask about that the knowledge
base does not cover are recognised too, so every agent can say so instead of answering
with facts about somewhere else, in two ways:

- a gazetteer of the world's well-known dive places (graph/data/dive_places.txt), less
  every place the knowledge base covers: a destination's names and the sites of the
  `dive_sites` table;
- a name no list holds: a capitalised name after "dive", "visit", "in", "at", "to" …, with
  a word in it that is neither English nor in the destination guides ("could we dive
  Kapoposang?"). A guide's own islets and typos of covered names are never taken for it.
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from config.settings import get_settings
from graph.routing.text import english_words

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
        "khao lak",
        "koh bon",
        "phuket",
        "thailand",
    ),
    # In the Gulf of Thailand, with a season of its own: not the Similans' national parks.
    "koh-tao": ("koh tao", "ko tao"),
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
    "koh-tao": "Thailand",
    "red-sea": "Egypt",
    "maldives": "Maldives",
    "great-barrier-reef": "Australia",
}
# Well-known places the knowledge base does not cover, the router's place cue among them
# (graph/routing/router.py); graph/data/dive_places.txt holds many more.
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


DIVE_PLACES_FILE = Path(__file__).resolve().parent / "data" / "dive_places.txt"
# A country or state where the knowledge base covers one place among many: "Coron in the
# Philippines" is about Coron, which it does not cover, not about Moalboal.
BROAD_ALIASES = frozenset({"philippines", "thailand", "egypt", "sabah", "terengganu", "flores"})
# Where a diver names a place: "dive Kapoposang", "a trip to Kri", "in Ambon", "at Batu Bolong".
PLACE_CONTEXT = (
    r"\b(?:(?P<verb>dive|diving|dived|dove|visit|visiting|snorkel)|see|trip to|go to|going to|"
    r"head(?:ing)? to|travel(?:l?ing)? to|fly(?:ing)? to|been to|in|at|around|near|off)"
    r"\s+(?:[Tt]he\s+)?"
)
# A capitalised name of up to three words ("Batu Bolong", "Kapoposang").
NAME_WORD = r"[A-Z][a-z\u00e0-\u00ff'\u2019]+"
CAPITALISED_NAME = re.compile(PLACE_CONTEXT + rf"({NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})")
WORD = re.compile(r"[a-z\u00e0-\u00ff'\u2019]+")
# Capitalised words that name no place: agencies, courses, months and days, gear brands.
NOT_PLACES = frozenset(
    "padi ssi naui cmas bsac sdi tdi gue raid iantd nitrox ean open advanced rescue "
    "divemaster instructor scuba discover enriched master specialty aow dsd ow dm idc "
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday easter christmas ramadan raya chinese "
    "suunto shearwater garmin mares scubapro aqualung apeks cressi gopro dan "
    "celsius fahrenheit english malay".split()
)
# How alike (difflib) a name and a covered name must be for the name to be a typo of it.
TYPO_CUTOFF = 0.8


def load_dive_places(path: Path = DIVE_PLACES_FILE) -> dict[str, str]:
    """name -> country or region, from the gazetteer file ("name | country" lines)."""
    places = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, region = line.partition("|")
            places[name.strip().lower()] = region.strip()
    return places


@functools.cache
def covered_countries() -> frozenset[str]:
    """The countries the destination guides are in (their front matter's `country`), lower
    case: "where in Malaysia?" asks about every guide there."""
    content_dir = get_settings().content_dir
    found = re.findall(
        r"^country:\s*\"?([^\"\n]+)",
        " \n".join(
            p.read_text(encoding="utf-8")
            for p in sorted((content_dir / "destinations").glob("*/index.md"))
        ),
        flags=re.MULTILINE,
    )
    return frozenset(name.strip().lower() for name in found)


@functools.cache
def guide_text(content_dir: Path) -> str:
    """The destination guides' words, lower case, one space apart: the islets, villages and
    sites they name are theirs."""
    texts = [
        p.read_text(encoding="utf-8") for p in sorted((content_dir / "destinations").rglob("*.md"))
    ]
    return " " + " ".join(WORD.findall(" ".join(texts).lower())) + " "


def fold(text: str) -> str:
    """The text without accents, letter for letter ("Galápagos" is "Galapagos", "Malé" is
    "Male"), so that a match's positions are the text's own."""
    return "".join(
        (unicodedata.normalize("NFKD", char)[:1] or char) if not char.isascii() else char
        for char in text
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
    # A name ending in a group ("Abu Nuhas Wrecks", "Mabul Muck Sites") or a bay ("Hanifaru
    # Bay") is said without it: "Abu Nuhas - which wrecks are there?".
    names |= {re.sub(r" (wrecks|sites|bay)$", "", n) for n in list(names)}
    return {n for n in names if len(n) > 3}


@dataclass
class Gazetteer:
    aliases: dict[str, str] = field(default_factory=dict)  # name -> slug
    sites: dict[str, Site] = field(default_factory=dict)  # alias -> site
    # What a name no list holds is checked against: English words and the destination
    # guides' text (empty: no such names are read).
    known_words: frozenset[str] = frozenset()
    guides: str = ""

    @classmethod
    def default(
        cls,
        site_names: dict[str, str] | None = None,
        sites: list[Site] | None = None,
        content_dir: Path | None = None,
    ) -> Gazetteer:
        aliases = {name: slug for slug, names in DESTINATION_ALIASES.items() for name in names}
        for name, slug in (site_names or {}).items():
            aliases.setdefault(name.lower(), slug)
        by_alias: dict[str, Site] = {}
        for site in sites or []:
            for alias in site_aliases(site.name):
                by_alias.setdefault(alias, site)
                aliases.setdefault(alias, site.destination)
        covered = _pattern(aliases)
        for name in [*UNCOVERED, *load_dive_places()]:
            # "SS Yongala" holds a covered name: the longer name must not hide it.
            if not covered.search(name):
                aliases.setdefault(name, f"uncovered:{name}")
        content_dir = content_dir or get_settings().content_dir
        guides = guide_text(content_dir) if content_dir.is_dir() else ""
        return cls(aliases, by_alias, frozenset(guides.split()) | english_words(), guides)

    def __post_init__(self) -> None:
        self._folded = {fold(alias): alias for alias in self.aliases}
        self._regex = _pattern(self._folded) if self.aliases else None
        self._covered = sorted(a for a, slug in self.aliases.items() if is_covered(slug))
        # Looked up on every turn that keeps the last answer's guide (graph/focus.py).
        self._site_by_path = {site.path: site for site in self.sites.values()}

    def _unlisted(self, text: str, taken: list[Mention]) -> list[Mention]:
        """Places no list holds: a capitalised name after "in", "at", "to" … with a word that is
        neither English nor a destination guide's ("in Kapoposang"), or right after "dive" or
        "visit" ("can I dive Shark Point?"), if the guides never name it. A typo of a covered
        name is not a new place."""
        if not self.known_words:
            return []
        found = []
        for match in CAPITALISED_NAME.finditer(text):
            start, end = match.span(match.lastindex or 0)
            if any(m.start < end and start < m.end for m in taken):
                continue
            words = [
                w.strip("'\u2019").removesuffix("'s")
                for w in match.group(match.lastindex).lower().split()
            ]
            name = " ".join(words)
            if any(w in NOT_PLACES for w in words) or f" {name} " in self.guides:
                continue
            strange = [w for w in words if w not in self.known_words]
            if not strange and not match.group("verb"):
                continue
            if any(
                difflib.get_close_matches(w, self._covered, n=1, cutoff=TYPO_CUTOFF)
                for w in [*strange, name]
            ):
                continue
            found.append(Mention(start, end, name, f"uncovered:{name}"))
        return found

    def mentions(self, text: str) -> list[Mention]:
        """Every place the text names, in order."""
        found = []
        for match in self._regex.finditer(fold(text)) if self._regex else ():
            alias = self._folded[match.group(1).lower()]
            found.append(
                Mention(
                    match.start(), match.end(), alias, self.aliases[alias], self.sites.get(alias)
                )
            )
        found = sorted([*found, *self._unlisted(text, found)], key=lambda m: m.start)
        if any(not is_covered(m.slug) for m in found):
            # "Coron in the Philippines" names Coron; the country only says where it is.
            found = [m for m in found if m.alias not in BROAD_ALIASES]
        return found

    def site_at(self, path: str | None) -> Site | None:
        """The dive site whose own file is `path`."""
        return self._site_by_path.get(path) if path else None

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
