"""The passages an agent's answerer reads on a turn, and how they are put together.

One turn's passages come from: the hybrid search with the turn's search query and the
focus's filters (the route's kinds of guide preferred, not required; a guide about no place
joining behind a place's own); the diver's own words searched alone, as a second opinion;
more sections of the best document (or of the guide of the course in focus, or of the
guide the last answer drew on); the sections the turn names or asks for by heading, and
whole sections where one was cut into parts; on the trip route, a site's destination guide
and the dive_sites table's verdicts for the diver's level (graph/site_passages.py).
"""

from __future__ import annotations

import asyncio
import time

from chains.embeddings import caches_queries
from chains.passages import Passage
from chains.questions import heading_answers
from chains.retrieval import ONE_RANKING_BEST_SCORE
from chains.sections import documents_held, sections_asked, with_sections
from graph.context import Context
from graph.focus import (
    Focus,
    about_a_missing_card,
    courses_asked_about,
    courses_held,
    metadata_filters,
)
from graph.leads import course_guide
from graph.places import is_covered
from graph.site_passages import with_site_levels
from graph.state import DiverProfile

# Below this cosine similarity a passage is noise, however it ranked.
MIN_SIMILARITY = 0.25
# Sections of the best-ranked document searched for on top of the top chunks.
BEST_DOCUMENT_SECTIONS = 2
# Sections of that document looked at below them for one headed for the asked topic.
HEADED_CANDIDATES = 4
# How much closer in meaning a passage of another document type must be than the best one
# the route's types gave, before it is put ahead of them (see _search).
OTHER_TYPE_MARGIN = 0.05
# Passages looked at below the retriever's cut for one much closer in meaning (see _ranked).
CLOSER_CANDIDATES = 3
# Passages looked at below the retriever's cut for the best passage of documents the top
# ones do not come from, and how many such documents join (see _other_documents). Two: one
# raised the all-dev-files share of turns given their source document from 0.915 to 0.923,
# two to 0.930 with the best fact recall, three to 0.935 with one fact turn fewer.
OTHER_DOCUMENT_CANDIDATES = 12
OTHER_DOCUMENTS = 2
# Documents of a kind the route does not prefer that join behind them, whatever their rank,
# when the route prefers some kinds (see _search).
OTHER_KIND_DOCUMENTS = 1
# Passages of guides about no place, clearly closer in meaning than the place's own, that
# join behind them while a place is in focus (see _search).
PLACELESS_PASSAGES = 2
# Documents found by the diver's own words alone, not by the search query the focus made of
# them, that join last with their best passage (see _own_words_search).
OWN_WORDS_DOCUMENTS = 1
# How long the path of a course's own guide is remembered (see _guide_in_focus).
GUIDE_REFRESH_SECONDS = 300.0
# How far below the best passage the last answer's guide may rank and still answer a
# follow-up on the same subject first (see _document_in_focus_first).
DOCUMENT_IN_FOCUS_MARGIN = 0.1
# How far below the best passage the closest section of the second-closest document may be
# and still join (see _with_next_document_section).
NEXT_DOCUMENT_MARGIN = 0.05
# What a destination guide answers and a dive site's page does not.
DESTINATION_TOPICS = ("season", "getting_there", "temperature", "visibility", "cost")


async def _search(
    context: Context,
    query: str,
    vector: list[float],
    filters: dict,
    route: str,
    names_place: bool = False,
) -> list[Passage]:
    """The passages for this turn: the route's document types preferred, not required.

    A route names the kinds of guide that usually answer ("trip" -> destination guides),
    but a router is sometimes wrong and a question sometimes crosses kinds (seasickness
    asked on a trip, ppO2 while a destination is in focus). So the same query also runs
    without the document-type filter, and a passage from another kind of guide that is
    clearly closer in meaning than the best the route's kinds gave is put ahead of them;
    the best other-kind document gets its best passage at the end in any case.
    The query's vector is at hand: each search is one SQL statement. `filters` are the
    focus's (`metadata_filters`); `names_place`, whether the turn names the place itself.
    """
    k = context.retriever.k
    if "doc_type" not in filters:
        return _above_the_floor(await _ranked(context, query, vector, filters), k)
    # The place in focus filters the destination guides, but a guide about no place (how
    # many dives a liveaboard does a day, seasickness on the boat) holds no destination: a
    # filter on it would leave every other kind of guide out. So the open search is not
    # filtered on the place, and passages of other places are dropped from it after; a
    # guide about no place joins behind the place's own (see `closer` below).
    open_filters = {
        key: value for key, value in filters.items() if key not in ("doc_type", "destination")
    }
    # Side by side: neither waits for the other.
    ranked, anywhere = await asyncio.gather(
        _ranked(context, query, vector, filters), _ranked(context, query, vector, open_filters)
    )
    anywhere = [p for p in anywhere if _of_the_places(p, filters.get("destination"))]
    preferred = _above_the_floor(ranked, k)
    best = max((p["similarity"] for p in preferred), default=MIN_SIMILARITY)
    held = {(p["path"], p["section"], p["content"]) for p in preferred}
    # While a place is in focus its own guides lead: a guide about no place that shares
    # the question's words ("tips", "dives") put ahead of them answered place questions
    # worse on the dev sets.
    place_first = "destination" in filters
    # The trip route's destination guides are preferred for a place; with none named or in
    # focus ("DIN or yoke if I travel around asia a lot?") nothing backs the preference, and
    # the closest passage leads whatever its kind.
    # (An uncovered place never gets here on the trip route: it is answered as not covered.)
    margin = 0.0 if route == "trip" and "destination" not in filters else OTHER_TYPE_MARGIN
    clearly_closer = [
        p
        for p in anywhere
        if p["similarity"] >= best + margin and (p["path"], p["section"], p["content"]) not in held
    ]
    closer = [p for p in clearly_closer if not (place_first and p["destination"] is None)]
    # Yet a guide about no place that is clearly closer in meaning than all of the place's
    # own answers what diving there shares with diving anywhere ("how many dives a day do
    # liveaboards do?" while Komodo is in focus): its best passages join behind them, when
    # the turn does not name the place (a turn that does asks about the place itself).
    placeless = [
        p for p in clearly_closer if place_first and not names_place and p["destination"] is None
    ]
    # And last, the best passage of the best document of another kind: a router that sent
    # the turn to the wrong agent still lets the answering guide be seen.
    types = filters["doc_type"] if isinstance(filters["doc_type"], list) else [filters["doc_type"]]
    other_kind = [
        p for p in anywhere if p["doc_type"] not in types and p["similarity"] >= MIN_SIMILARITY
    ]
    held_now = closer + preferred + placeless[:PLACELESS_PASSAGES]
    return held_now + _other_documents(other_kind, held_now)[:OTHER_KIND_DOCUMENTS]


def _above_the_floor(passages: list[Passage], k: int) -> list[Passage]:
    """The passages close enough in meaning, and when they are fewer than k, those below
    the floor that both rankings hold, up to k.

    The small embedding model puts a short turn far from every passage: "and if we lose
    each other on a drift?" is at 0.18 from the lost-buddy procedure, which the full-text
    ranking puts first too. A passage only one ranking holds stays noise below the floor.
    """
    kept = [p for p in passages if p["similarity"] >= MIN_SIMILARITY]
    agreed = [
        p
        for p in passages
        if p["similarity"] < MIN_SIMILARITY and p["score"] > ONE_RANKING_BEST_SCORE
    ]
    return kept + agreed[: max(0, k - len(kept))]


def _closest_of_the_place(passages: list[Passage], filters: dict) -> str | None:
    """The document whose other sections are brought in, while a place is in focus: the
    closest in meaning of the place's own (a guide about no place joins behind them, and
    its sections would crowd them out); None lets the closest of all be taken."""
    if "destination" not in filters:
        return None
    own = [p for p in passages if p["destination"] is not None]
    return max(own, key=lambda p: p["similarity"])["path"] if own else None


def _of_the_places(passage: Passage, places: str | list[str] | None) -> bool:
    """Whether a passage is about one of `places` or about no place at all."""
    if places is None or passage["destination"] is None:
        return True
    return passage["destination"] in ([places] if isinstance(places, str) else places)


async def _own_words_search(
    context: Context, question: str, search_query: str, filters: dict
) -> list[Passage]:
    """The passages the diver's own words find, when the focus added words to them.

    The words a follow-up borrows from the focus (a place, a course, the last question)
    steer its search; when the focus is wrong about what the turn is about, they steer it
    away from the guide that answers. The diver's words alone are a second opinion. Their
    vector is in the query cache already (the search query's is composed from it); a model
    without a query cache would pay for another embedding, so it gets no second opinion.
    """
    if search_query == question or not caches_queries(context.retriever.embeddings):
        return []
    vector = await context.retriever.query_vector(question)
    found = await context.retriever.search(
        question, k=context.retriever.k, filters=filters, embedding=vector
    )
    return [p for p in found if p["similarity"] >= MIN_SIMILARITY]


async def _ranked(
    context: Context, query: str, vector: list[float], filters: dict
) -> list[Passage]:
    """The retriever's top passages, and ahead of them any passage just below the cut that
    is clearly closer in meaning than all of them: "how fast should I come up?" shares
    words with air-consumption tips, while "Ascent rate" shares none yet means it. Behind
    them, the best passage of the next documents not yet among them (_other_documents).
    One search brings all three in."""
    k = context.retriever.k
    below = max(CLOSER_CANDIDATES, OTHER_DOCUMENT_CANDIDATES)
    found = await context.retriever.search(query, k=k + below, filters=filters, embedding=vector)
    head, rest = found[:k], found[k : k + CLOSER_CANDIDATES]
    best = max((p["similarity"] for p in head), default=0.0)
    closer = [p for p in rest if p["similarity"] >= best + OTHER_TYPE_MARGIN]
    return closer + head + _other_documents(found[k:], head + closer)


def _other_documents(below: list[Passage], held: list[Passage]) -> list[Passage]:
    """The best passage of each of the next documents the held passages do not come from.

    Chunks are ranked one by one, so the sections of one guide that shares the question's
    words can fill the top five while the guide that answers it ranks just below. Ranking
    the documents below the cut by their best chunk and giving the next ones a passage
    each lets the answerer see them; they come last, so the top passages still lead."""
    paths = {p["path"] for p in held}
    others: list[Passage] = []
    for passage in below:
        if len(others) >= OTHER_DOCUMENTS:
            break
        if passage["path"] not in paths:
            paths.add(passage["path"])
            others.append(passage)
    return others


async def _more_of_the_best_document(
    context: Context,
    query: str,
    vector: list[float],
    passages: list[Passage],
    best: str | None = None,
    topic: str | None = None,
) -> list[Passage]:
    """The best document's other sections that answer the query best.

    The top five chunks often come from one guide, yet miss the section holding the
    answer ("Time: about half a day" under the course's own heading); a second search
    inside that document alone, with the same query, brings its best sections in.
    """
    if not passages and not best:
        return []
    # Chunks, not sections: a section too long for one chunk (a table cut in two) has its
    # other part brought in when it answers, though another part of it is already held.
    held = {(p["path"], p["content"]) for p in passages}
    # The closest in meaning: the fused rank can put a guide first on one shared word.
    best = best or max(passages, key=lambda p: p["similarity"])["path"]
    # With a topic asked, the sections ranked below the cut are looked at too: the one
    # headed for it ("Techniques" for "what can I do?") often echoes the question least.
    looked_at = BEST_DOCUMENT_SECTIONS + len(held) + (HEADED_CANDIDATES if topic else 0)
    inside = await context.retriever.search(
        query, k=looked_at, filters={"path": best}, embedding=vector
    )
    extra = [
        p
        for p in inside
        if (p["path"], p["content"]) not in held and p["similarity"] >= MIN_SIMILARITY
    ]
    # A section headed for what is asked ("Duration and cost" for "how long does it
    # take?") comes before closer echoes of the question's other words (stable sort).
    extra.sort(key=lambda p: not heading_answers(topic, p["section"] or ""))
    return extra[:BEST_DOCUMENT_SECTIONS]


async def _guide_in_focus(
    context: Context, route: str, question: str, focus: Focus, profile: DiverProfile
) -> str | None:
    """The own guide of the course the conversation is about, when this turn names no
    other course.

    "How deep can I dive once certified?" after questions on Open Water is about Open
    Water; the closest document in meaning (the Deep Diver specialty, full of "depth")
    is not the one whose other sections should be brought in. A turn that names the
    course itself ("can I do the refresher at another agency's shop?") is answered from
    its guide too, not from a guide that shares more of its other words ("my card").
    """
    course = focus.get("course")
    asked = courses_asked_about(question)
    # "I'm a BSAC Ocean Diver. Is that the same as PADI Open Water?" names another course
    # only to weigh the card held against it (graph/focus.py keeps the card in focus).
    weighed = focus.get("topic") == "equivalence" and course in courses_held(question)
    if route != "certification" or not course or (asked and asked != [course] and not weighed):
        return None
    if about_a_missing_card(question):
        # "Can't find my card, can I still dive?": the guide on lost cards answers, not the
        # course's (lapsed: the refresher's) own.
        return None
    agency = focus.get("agency") or profile.get("agency")
    # A course's guide changes only with a re-ingest: it is looked up once in a while, so
    # a turn pays no embedding for it (a hosted embedding model would charge every turn).
    found_at, path = context.guide_paths.get((course, agency), (float("-inf"), None))
    if time.monotonic() - found_at > GUIDE_REFRESH_SECONDS:
        path = await course_guide(context.retriever, course, agency)
        context.guide_paths[(course, agency)] = (time.monotonic(), path)
    return path


async def _nothing() -> list[Passage]:
    return []


def _with_whole_sections(passages: list[Passage], read_whole: list[Passage]) -> list[Passage]:
    """`passages` with the other parts of each section cut in two or more (a table and the
    notes under it: "Recommended minimum surface intervals") right after the part held;
    `read_whole` holds the held documents' chunks in reading order. The part the search
    ranked may be the notes, while the numbers asked for are in the table."""
    held = {(p["path"], p["content"]) for p in passages}
    parts: dict[tuple[str, str], list[Passage]] = {}
    for chunk in read_whole:
        if chunk["section"]:
            parts.setdefault((chunk["path"], chunk["section"]), []).append(chunk)
    out: list[Passage] = []
    for passage in passages:
        out.append(passage)
        for part in parts.get((passage["path"], passage["section"] or ""), []):
            if (part["path"], part["content"]) not in held:
                held.add((part["path"], part["content"]))
                out.append(part)
    return out


def _with_next_document_section(
    passages: list[Passage], read_whole: list[Passage]
) -> list[Passage]:
    """`passages` with the closest section not yet held of the second-closest document,
    when it is nearly as close in meaning as the best passage; `read_whole` holds the held
    documents' chunks with their similarity to the query.

    Only the closest document has its other sections searched for (_more_of_the_best_document),
    yet a question often lies between two guides, and the second one's chunks that the fused
    ranking kept can miss its section closest in meaning to the question (a word shared
    with another of its sections outranks a paraphrase). Its documents are read whole
    already (`read_whole`): no search is added. It joins last, behind the passages the
    search ranked.
    """
    documents = documents_held(passages)
    if len(documents) < 2 or not passages:
        return passages
    best = max(p["similarity"] for p in passages)
    held = {(p["path"], p["section"]) for p in passages}
    candidates = [
        c
        for c in read_whole
        if c["path"] == documents[1]
        and (c["path"], c["section"]) not in held
        and c["similarity"] >= best - NEXT_DOCUMENT_MARGIN
    ]
    if not candidates:
        return passages
    return [*passages, max(candidates, key=lambda c: c["similarity"])]


def _document_in_focus(
    focus: Focus, route: str, previous_route: str | None, guide: str | None, passages
) -> str | None:
    """The guide the last answer came from, when this turn may still be about it: on the
    same route, naming no other place or course (graph/focus.py keeps it only then), and
    not already led by its own guide or answered from it anyway."""
    document = focus.get("document")
    if not document or guide or route != previous_route or not passages:
        return None
    best = max(passages, key=lambda p: p["similarity"])["path"]
    return None if best == document else document


def _document_in_focus_first(
    passages: list[Passage], of_document: list[Passage], document: str
) -> list[Passage]:
    """ "How deep can a 12 year old go?" after the minimum age for children: the guide on
    children's diving answered the last turn, and its section on junior depth limits
    answers this one, though a guide on deep diving shares more words with it. The last
    answer's guide leads when one of its sections is nearly as close in meaning as the
    best passage; a turn that has moved to another subject finds nothing near as close
    in it, and keeps its own passages. (Letting the guide lead whenever the turn points
    back, however weak its best section, put a weak section first on the dev sets.)"""
    ours = [p for p in passages if p["path"] == document] + of_document
    if not ours:
        return passages
    best = max(p["similarity"] for p in passages)
    if max(p["similarity"] for p in ours) < best - DOCUMENT_IN_FOCUS_MARGIN:
        return passages
    ours.sort(key=lambda p: -p["similarity"])
    return ours + [p for p in passages if p["path"] != document]


def _about_course(passage: Passage, course: str | None, guide: str) -> bool:
    """Whether a passage may answer about `course`, whose own guide is `guide`: not
    another course's guide, nor, in a guide to two courses ("NAUI Advanced Scuba Diver
    and NAUI Rescue Scuba Diver"), the other course's section. Guides about no one course
    (costs, equivalency, choosing the next course) and other kinds of document may."""
    if passage["doc_type"] != "certification":
        return True
    in_title = courses_asked_about(passage["title"])
    if passage["path"] != guide:
        return not in_title or course in in_title
    in_section = [c for c in courses_asked_about(passage["section"] or "") if c in in_title]
    return not in_section or course in in_section


async def plan_passages(
    context: Context,
    route: str,
    question: str,
    search_query: str,
    focus: Focus,
    profile: DiverProfile,
    previous_route: str | None,
) -> list[Passage]:
    """The passages the agent of `route` answers `question` from, in the order it reads them.

    `search_query` is the diver's words with what the focus added (graph/nodes/routing.py).
    """
    # The query is the diver's words (embedded already, by the safety gate) and words the
    # focus added: its vector is composed from those two parts' cached vectors.
    vector = await context.retriever.query_vector(search_query, anchor=question)
    filters = metadata_filters(focus, route)
    # Side by side: the search with the focus's words, and one with the diver's own alone.
    passages, own_words = await asyncio.gather(
        _search(context, search_query, vector, filters, route, bool(focus.get("names_place"))),
        _own_words_search(context, question, search_query, filters),
    )
    passages += _other_documents(own_words, passages)[:OWN_WORDS_DOCUMENTS]
    guide = await _guide_in_focus(context, route, question, focus, profile)
    document = _document_in_focus(focus, route, previous_route, guide, passages)
    # Side by side: the best document's sections and the last answer's guide's.
    more, of_document = await asyncio.gather(
        _more_of_the_best_document(
            context,
            search_query,
            vector,
            passages,
            guide or _closest_of_the_place(passages, filters),
            focus.get("topic"),
        ),
        _more_of_the_best_document(
            context, search_query, vector, passages, document, focus.get("topic")
        )
        if document
        else _nothing(),
    )
    passages += more
    if document:
        passages = _document_in_focus_first(passages, of_document, document)
    read_whole = await context.retriever.sections_of(documents_held(passages), vector)
    passages = with_sections(
        passages, sections_asked(question, focus.get("topic"), passages, read_whole)
    )
    passages = _with_next_document_section(passages, read_whole)
    passages = _with_whole_sections(passages, read_whole)
    if guide:
        # The guide of the course in focus answers first: its sections lead the passages,
        # the ones the search ranked best ahead of the ones brought in. Another course's
        # guide (or section) would answer about that course instead.
        passages = [p for p in passages if _about_course(p, focus.get("course"), guide)]
        passages.sort(key=lambda p: p["path"] != guide)
    if route != "trip":
        return passages
    destination = focus.get("destination")
    if (
        focus.get("site_path")
        and is_covered(destination)
        and focus.get("topic") in DESTINATION_TOPICS
    ):
        # A site's own page holds no fees, flights or seasons: its destination guide does.
        passages += await _more_of_the_best_document(
            context,
            search_query,
            vector,
            passages,
            f"destinations/{destination}/index.md",
            focus.get("topic"),
        )
    return await with_site_levels(context, question, focus, profile, passages)
