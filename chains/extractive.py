"""The offline answerer: a chat model that only repeats what its passages say.

When no model API is configured, DovvyBuddy still answers: this model reads the passages
the agent put in its prompt, picks the sentences that answer the diver's question (a
season for "when", a duration for "how long", a depth, a price, a requirement and
verdict for "can I"), preferring the section that best matches it, composes them into a
short answer of whole sentences (about 120 words) and reports which passages they came
from in the message's `response_metadata["citations"]`. The passages are read
as sentences by chains/sentences.py, weighed with the features of chains/sentence_scores.py
and the blend of chains/selection.py, and written out by chains/answer_text.py. The
section that answers best leads, and the best sentence of the next section follows its first few;
past them, a sentence from a document the answer does not quote yet must be nearly as relevant
as the lead's. Room the word budget still holds at the end goes to the main clause of a
sentence that was too long for it (without its parentheses, a trailing aside or the clause
after its semicolon), then to the leading guide's sentences that fell under a floor but are
still fairly relevant and of the asked kind of fact (`room_ratio`).
Sentences written for children and juniors are left out unless someone young is in the
conversation. It never writes a fact of its own; when no sentence is relevant enough it
says so plainly and asks one clarifying question.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.embeddings import Embeddings
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import ConfigDict, Field, PrivateAttr

from chains.answer_text import (
    anchored,
    named_after_section,
    shortened,
    subject_of,
    terminate,
    without_repeated_lead,
)
from chains.passages import (
    VERDICT_SECTION,
    parse_closing,
    parse_conversation,
    parse_follow_up,
    parse_next_steps,
    parse_passages,
    parse_profile,
)
from chains.questions import Topic, someone_young_in, spelled_out, topics_of
from chains.selection import FEATURES, HAND, RELEVANCE_FLOOR, Selection, load_selection
from chains.sentence_scores import (
    DIVER_TOPICS,
    Candidate,
    asked_topics,
    cosines,
    for_the_young,
    heading_of,
    in_context,
    number_bonus,
    profile_bonus,
    sentence_features,
    shape_bonus,
)
from chains.sentences import sentences_of
from chains.words import content_words, shared_stems, stems

SENTENCE_CACHE_SIZE = 20_000  # float32 vectors: about 30 MB when full
# Below this many words an answer is thin: companions from other sections need less.
THIN_ANSWER_WORDS = 30
NOTHING_RELEVANT = "I don't have reliable information on that in my knowledge base yet."
CLARIFY = "Could you tell me a little more about what you'd like to know?"

_BACK_REFERENCE = re.compile(r"\b(they|them|it|its|that|those|these)\b", re.IGNORECASE)


class ExtractiveAnswerer(BaseChatModel):
    """Answers by quoting the most relevant sentences of the passages in its prompt."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    embeddings: Embeddings | None = None
    _cache: OrderedDict = PrivateAttr(default_factory=OrderedDict)
    # Below this hand-blended score a sentence is not an answer to the question.
    relevance_floor: float = RELEVANCE_FLOOR
    # The fitted blend, floors and word budget that pick the answer's sentences.
    selection: Selection = Field(default_factory=load_selection)
    model_name: str = "offline/extractive"

    @property
    def _llm_type(self) -> str:
        return "dovvybuddy-extractive"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model_name": self.model_name, "max_sentences": self.selection.max_sentences}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any):
        # Traces and /metrics name the provider as the settings do: "offline".
        params = super()._get_ls_params(stop=stop, **kwargs)
        params["ls_provider"], params["ls_model_name"] = "offline", "extractive"
        return params

    # --- composing ----------------------------------------------------------------------
    def _question(self, messages: list[BaseMessage]) -> str:
        humans = [m for m in messages if isinstance(m, HumanMessage)]
        if not humans:
            return ""
        question = str(humans[-1].content)
        # An elliptic follow-up ("and in March?", "how soon do they show up?") borrows the
        # previous question's words; what it asks for is still read from its own words.
        leans_back = len(question.split()) <= 10 and _BACK_REFERENCE.search(question)
        if (len(content_words(question)) < 3 or leans_back) and len(humans) > 1:
            question = f"{humans[-2].content} {question}"
        # The guides write "decompression sickness" where the diver writes "DCS"; the
        # embedding model knows the long form only.
        return " ".join([question, *spelled_out(question)])

    def _score(
        self,
        question: str,
        candidates: list[Candidate],
        rank_of: dict[int, int],
        topics: list[Topic] | None = None,
        asked: str = "",
        profile: dict | None = None,
    ) -> None:
        """Blend meaning, rare shared words, passage rank, how well the sentence's section
        heading matches the question, and answer shape (`topics`: what the diver asks for)."""
        topics = topics_of(question) if topics is None else topics
        # A section written for the diver's experience answers "what next?" or "is it for
        # me?", not "what do I need for Rescue?": there the asked kind of fact decides.
        about_the_diver = not topics or any(t.name in DIVER_TOPICS for t in topics)
        question_stems = stems(question)
        semantic: list[float] | None = None
        if self.embeddings is not None:
            # A sentence is read with its section heading: "April to August" answers a
            # question about seasons only because it sits under "Seasons and weather".
            vectors = self._sentence_vectors([in_context(c) for c in candidates])
            units = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
            for candidate, unit in zip(candidates, units, strict=True):
                candidate.vector = unit
            query = np.asarray(self.embeddings.embed_query(question), dtype=np.float32)
            semantic = cosines(vectors, query)
            # The section whose heading answers the question ("Signs and symptoms to
            # recognise" for "what are the signs …") is preferred over a section that
            # only shares the subject's name, however well its sentences echo it.
            # Read with the document's subject, so that the subject alone (the untitled
            # opening section is headed by the title) does not decide.
            headings = self._sentence_vectors([c.section_heading or c.heading for c in candidates])
            section = cosines(headings, query)
            own_topics = bool(topics_of(asked))
            semantic_own = semantic
            if asked and asked != question:
                # A follow-up that names a new subject ("and with diabetes?") is answered
                # by the section named after it, not by the one the earlier turn wanted.
                own = np.asarray(self.embeddings.embed_query(asked), dtype=np.float32)
                section = [max(a, b) for a, b in zip(section, cosines(headings, own), strict=True)]
                semantic_own = cosines(vectors, own)
                # The borrowed words give the subject, the turn's own words what is asked
                # when they ask something: "how close can we get?" after "when is the best
                # time to see them?" wants a distance, not the months again ("and the
                # Maldives?" asks nothing of its own).
                if own_topics:
                    semantic = [(a + b) / 2 for a, b in zip(semantic, semantic_own, strict=True)]
        stems_of = [stems(in_context(c)) for c in candidates]
        # A word every passage shares ("Tioman" in a Tioman answer) tells sentences apart
        # no better than a stopword; weigh question words by how rare they are here.
        # The turn's own words count double against the ones borrowed from the last
        # question: "and the safety stop?" is about the stop, not about "how fast".
        own_stems = stems(asked) if asked and asked != question else set()
        weight = {
            w: (2.0 if w in own_stems else 1.0)
            * math.log(1 + len(candidates) / (1 + sum(w in said for said in stems_of)))
            for w in question_stems
        }
        total = sum(weight.values()) or 1.0
        lexical = [
            sum(weight[w] for w in shared_stems(question_stems, said)) / total for said in stems_of
        ]
        if semantic is None:
            # Without a sentence embedding model only words and the hand bonuses can tell.
            for i, candidate in enumerate(candidates):
                prior = 1.0 / (1.0 + 0.5 * rank_of.get(candidate.passage, 0))
                candidate.gate = candidate.score = (
                    0.85 * lexical[i]
                    + 0.15 * prior
                    + shape_bonus(topics, candidate.text, heading_of(candidate))
                    + number_bonus(asked, candidate.text)
                    + (profile_bonus(profile or {}, candidate.heading) if about_the_diver else 0)
                )
            return
        features = sentence_features(
            candidates,
            semantic,
            section,
            lexical,
            rank_of,
            topics,
            asked,
            profile if about_the_diver else None,
            semantic_own,
        )
        # Whether anything answers at all is the hand blend's call; which sentences answer
        # best is the fitted selection's.
        gates = HAND.scores(features)
        scores = self.selection.scores(features)
        for candidate, row, gate, score in zip(candidates, features, gates, scores, strict=True):
            candidate.features, candidate.gate, candidate.score = row, float(gate), float(score)

    def compose(self, messages: list[BaseMessage]) -> tuple[str, list[int]]:
        """Return the answer text and the 1-based indexes of the passages it quotes."""
        prompt = "\n".join(str(m.content) for m in messages if not isinstance(m, HumanMessage))
        passages = parse_passages(prompt)
        follow_up = parse_follow_up(prompt)
        closing = parse_closing(prompt)
        next_steps = parse_next_steps(prompt)
        ending = f" {closing}" if closing else ""
        before_question = f" {next_steps}" if next_steps else ""
        question = self._question(messages)
        candidates = [
            Candidate(
                passage=p.index,
                position=pos,
                text=sentence,
                heading=p.section or p.title,
                section_heading=f"{subject_of(p.title)} — {p.section}" if p.section else p.title,
                label=label,
                document=p.title,
            )
            for p in passages
            for pos, (sentence, label) in enumerate(sentences_of(p.text))
        ]
        nothing = f"{NOTHING_RELEVANT}{before_question} {follow_up or CLARIFY}{ending}", []
        if not candidates or not question.strip():
            return nothing
        humans = [m for m in messages if isinstance(m, HumanMessage)]
        asked = str(humans[-1].content) if humans else question
        if not someone_young_in([str(m.content) for m in humans]):
            candidates = [c for c in candidates if not for_the_young(c)] or candidates
        self._score(
            question,
            candidates,
            rank_of={p.index: n for n, p in enumerate(passages)},
            topics=asked_topics(asked, parse_conversation(prompt)),
            asked=asked,
            profile=parse_profile(prompt),
        )
        verdicts = {p.index for p in passages if p.section == VERDICT_SECTION}
        chosen = self._choose(candidates, verdicts)
        if not chosen:
            return nothing
        order = {p.index: n for n, p in enumerate(passages)}
        # A verdict first, then the section that answers best (the first one chosen), then
        # the others as they ranked.
        lead = next((c.passage for c in chosen if c.passage not in verdicts), None)
        chosen.sort(
            key=lambda c: (
                c.passage not in verdicts,
                c.passage != lead,
                order[c.passage],
                c.position,
            )
        )
        titles = {p.index: p.title for p in passages}
        sections = {p.index: p.section for p in passages}
        body = " ".join(
            terminate(
                named_after_section(
                    anchored(without_repeated_lead(c, before), titles[c.passage]),
                    sections[c.passage],
                    first=before is None or before.passage != c.passage,
                )
            )
            for before, c in zip([None, *chosen], chosen, strict=False)
        )
        if not follow_up:
            top = next(p for p in passages if p.index == chosen[0].passage)
            follow_up = f"Would you like to know more about {subject_of(top.title)}?"
        cited = sorted({c.passage for c in chosen}, key=order.get)
        return f"{body}{before_question} {follow_up}{ending}", cited

    def _choose(
        self,
        candidates: list[Candidate],
        verdicts: set[int],
        passed_over: dict[int, str] | None = None,
    ) -> list[Candidate]:
        """The sentences of the answer: a verdict on the diver's level first when there is
        one, then the best sentences, within a word budget. `passed_over`, when given, is
        filled with why each sentence left out was (keyed by its id): what the answer's
        evals tally."""
        why = passed_over if passed_over is not None else {}
        chosen = [c for c in candidates if c.passage in verdicts][:2]
        words = sum(len(c.text.split()) for c in chosen)
        ranked = sorted(
            (c for c in candidates if c.passage not in verdicts),
            key=lambda c: c.score,
            reverse=True,
        )
        if not ranked or max(c.gate for c in ranked) < self.relevance_floor:
            return chosen
        selection = self.selection
        # The section that answers best is the one whose two best sentences do, not the
        # one holding a single sentence that echoes the question: the answer starts there.
        by_passage: dict[int, list[float]] = {}
        for candidate in ranked:
            by_passage.setdefault(candidate.passage, []).append(candidate.score)
        # A section of one sentence ("NAUI divers usually continue with …") is not worse
        # for being short: its lone sentence counts as having a companion just good enough.
        best_passage = max(
            by_passage,
            key=lambda p: (
                by_passage[p][0]
                + (
                    by_passage[p][1:2]
                    or [max(selection.floor, by_passage[p][0] * selection.companion_ratio)]
                )[0]
            ),
        )
        ranked.sort(key=lambda c: c.passage != best_passage)  # stable: still by score within
        # Companions must be nearly as relevant as the best sentence: a tangent that merely
        # shares a word makes the answer worse, not longer. The best sentence's own section
        # is the exception: its neighbours (the other months, the next list item, the
        # explanation) usually finish the answer, so they need less.
        best = ranked[0]
        top_score = max(c.score for c in ranked)
        floor = max(selection.floor, top_score * selection.companion_ratio)
        section_floor = max(selection.floor, best.score * selection.section_ratio)
        seen = {c.text.lower() for c in chosen}
        # The best section leads with its best few sentences; past them, a sentence of
        # another section that scores higher comes first: "what can I do?" about ears is
        # answered by the habits and by the techniques, not by six habits.
        lead = [c for c in ranked if c.passage == best.passage][: selection.lead_sentences]
        led = {id(c) for c in lead}
        rest = sorted((c for c in ranked if id(c) not in led), key=lambda c: c.score, reverse=True)
        # Past the lead, the best sentence of the next best section has its turn before the
        # lead's section gives more: "what can I do?" about ears is answered by habits and
        # by a technique, not by six habits that crowd the techniques out of the budget.
        runner_up = next((c for c in rest if c.passage != best.passage), None)
        if runner_up is not None:
            rest.remove(runner_up)
            rest.insert(0, runner_up)
        queue = [*lead, *rest]
        scores = np.asarray([c.score for c in queue])
        # Past the lead and the runner-up, the next sentence is the one that adds most: its
        # score less `diversity` times its closeness to what the answer says already, so a
        # second wording of a chosen fact ("most divers stay between about 10 and 25 m"
        # after "divers usually work between about 10 and 25 m") waits behind a new fact.
        fixed = len(lead) + (runner_up is not None)
        # Each queued sentence's highest cosine with what the answer says already, kept up
        # to date as sentences are chosen: both the diversity and the near-duplicate check
        # read it, so each cosine is computed once.
        compares = selection.diversity > 0 or selection.redundancy < 1.0
        closeness = _closeness(queue, chosen) if compares else None
        overran: list[Candidate] = []
        under_floor: list[Candidate] = []
        while queue and len(chosen) < selection.max_sentences:
            pick = 0
            past_the_lead = fixed <= 0
            if past_the_lead and closeness is not None and selection.diversity > 0:
                pick = int(np.argmax(scores - selection.diversity * closeness))
            fixed -= 1
            candidate = queue.pop(pick)
            scores = np.delete(scores, pick)
            nearest = 0.0
            if closeness is not None:
                nearest = float(closeness[pick])
                closeness = np.delete(closeness, pick)
            # Past the lead and the runner-up, a sentence of a document the answer does not
            # quote yet is a tangent unless it is nearly as relevant as the lead: a Komodo
            # answer does not end on Bali's hyperbaric chambers, nor an insurance answer on
            # "many people with chronic conditions dive safely". Spending less of the
            # budget is better than spending it on another subject.
            if (
                past_the_lead
                and candidate.score < best.score * selection.new_document_ratio
                and candidate.document not in {c.document for c in chosen}
            ):
                why[id(candidate)] = "another document"
                continue
            # A lone sentence far ahead of the rest is a thin answer ("Check depth limits."
            # for "will they accept my card, and how deep can I go?"): until the answer has
            # some substance, the other sections need only what the lead's own section does.
            thin = words < THIN_ANSWER_WORDS
            needed = section_floor if candidate.passage == best.passage or thin else floor
            if candidate.score < needed:
                why[id(candidate)] = "below the floor"
                under_floor.append(candidate)
                continue
            length = _words_said(candidate, chosen)
            if chosen and words + length > selection.body_words:
                why[id(candidate)] = "budget spent"
                overran.append(candidate)
                continue
            # A sentence that says nearly what a chosen one says spends the budget another
            # part of the question needed ("how much and how long?" wants both).
            if selection.redundancy < 1.0 and nearest > selection.redundancy:
                why[id(candidate)] = "near duplicate"
                continue
            if candidate.text.lower() not in seen:
                chosen.append(candidate)
                seen.add(candidate.text.lower())
                words += length
                if closeness is not None and queue:
                    closeness = np.maximum(closeness, _closeness(queue, [candidate]))
        for candidate in queue:
            why[id(candidate)] = "sentence cap"
        # What the budget still holds goes to the main clauses of the sentences it had no
        # room for, in the order they came: "Water temperature is around 27–30 °C
        # year-round" without "; a 3 mm suit is usually enough". Only room no whole sentence
        # took is spent, so no sentence of the answer gives way to a shortened one.
        for candidate in overran if selection.shorten_to_fit else []:
            if len(chosen) >= selection.max_sentences:
                break
            shorter = _fitting(candidate, chosen, selection.body_words - words)
            if shorter and shorter[0].text.lower() not in seen:
                chosen.append(shorter[0])
                seen.add(shorter[0].text.lower())
                words += shorter[1]
                del why[id(candidate)]
        # The room the budget still holds goes to the sentences of the lead's own guide that
        # missed their floor, best first, down to `room_ratio` of the best score: a short
        # answer otherwise stops before the next fact of its own subject (a second part of
        # the question, the next item of a list), while a sentence of another guide stays
        # out whatever the room, as the floors above intend.
        room_floor = top_score * selection.room_ratio
        spare = sorted(under_floor, key=lambda c: c.score, reverse=True)
        # When some sentence of the passages is shaped like the asked kind of fact (a month
        # for "when") or headed for it, the room goes only to such sentences: "when is the
        # best time?" is not finished by how to get there.
        kind_held = any(_of_the_asked_kind(c) for c in ranked)
        for candidate in spare if selection.room_ratio > 0 else []:
            if len(chosen) >= selection.max_sentences:
                break
            if (
                candidate.score < room_floor
                or candidate.document != best.document
                or (kind_held and not _of_the_asked_kind(candidate))
                or candidate.text.lower() in seen
            ):
                continue
            length = _words_said(candidate, chosen)
            if words + length > selection.body_words:
                continue
            chosen.append(candidate)
            seen.add(candidate.text.lower())
            words += length
            del why[id(candidate)]
        return chosen

    def _sentence_vectors(self, texts: list[str]) -> np.ndarray:
        """Embeddings of passage sentences; the same passages come back turn after turn."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            for text, vector in zip(missing, self.embeddings.embed_documents(missing), strict=True):
                self._cache[text] = np.asarray(vector, dtype=np.float32)
            while len(self._cache) > SENTENCE_CACHE_SIZE:
                self._cache.popitem(last=False)
        for text in texts:
            self._cache.move_to_end(text)
        return np.stack([self._cache[text] for text in texts])

    # --- BaseChatModel ------------------------------------------------------------------
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text, cited = self.compose(messages)
        message = AIMessage(
            content=text,
            response_metadata={"citations": cited, "model_name": self.model_name},
        )
        return ChatResult(generations=[ChatGeneration(message=message)])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        text, cited = self.compose(messages)
        pieces = re.findall(r"\S+\s*", text)
        for i, piece in enumerate(pieces):
            last = i == len(pieces) - 1
            chunk = ChatGenerationChunk(
                message=AIMessageChunk(
                    content=piece,
                    response_metadata=(
                        {"citations": cited, "model_name": self.model_name} if last else {}
                    ),
                    chunk_position="last" if last else None,
                )
            )
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk


_SHAPED, _UNDER = FEATURES.index("shaped"), FEATURES.index("under")


def _of_the_asked_kind(candidate: Candidate) -> bool:
    """The sentence is shaped like the asked kind of fact or sits under a heading for it."""
    row = candidate.features
    return row is not None and bool(row[_SHAPED] or row[_UNDER])


def _closeness(candidates: list[Candidate], said: list[Candidate]) -> np.ndarray | None:
    """Each candidate's highest cosine with the sentences `said` (0 when nothing is said);
    None without sentence vectors."""
    if any(c.vector is None for c in candidates):
        return None
    spoken = [c.vector for c in said if c.vector is not None]
    if not candidates or not spoken:
        return np.zeros(len(candidates))
    return (np.stack([c.vector for c in candidates]) @ np.stack(spoken).T).max(axis=1)


def _fitting(
    candidate: Candidate, chosen: list[Candidate], room: int
) -> tuple[Candidate, int] | None:
    """The longest shortened reading of the sentence that fits in `room` words."""
    for reading in shortened(candidate.text):
        shorter = replace(candidate, text=reading)
        length = _words_said(shorter, chosen)
        if length <= room:
            return shorter, length
    return None


def _words_said(candidate: Candidate, chosen: list[Candidate]) -> int:
    """The words a sentence adds to the answer: a lead-in said by a sentence of the same
    section already chosen ("Prerequisites: …") is not said again (without_repeated_lead)."""
    lead, colon, rest = candidate.text.partition(": ")
    said_before = colon and any(
        c.passage == candidate.passage and c.text.startswith(f"{lead}: ") for c in chosen
    )
    return len((rest if said_before else candidate.text).split())
