"""The learned emergency detector: a linear classifier on the turn's sentence embedding.

The rules of graph/routing/emergency*.py only know the wordings they were written for. This
detector reads the same embedding the router computes for the turn (one embedding per
turn, shared through the embedding model's query cache), so it adds no model call: its
cost is one dot product. Beside the embedding it weighs what the rules see in the message
(a critical sign, a symptom, a time cue, diving words; graph/routing/emergency.py,
`signals`), whether or not they raised it: an embedding knows what a message is about, the
rules' signals whether someone in it is in trouble, so a camera "flooded and dead" or a
view that "took my breath away" needs more than a resemblance to be raised.

It is trained at start-up from the bank in graph/data/emergency_bank_*.jsonl — messages
written for this purpose, every row tagged with a category: acute emergencies of many
kinds, and hard look-alikes (questions, past events, drills, figures of speech, gear
words). The bank's vectors come through the embedding cache, as the router's examples do,
so a warm start embeds nothing and the fit takes a fraction of a second.

scikit-learn fits the model (a well-kept, standard logistic regression with balanced
class weights); scoring a turn uses only the fitted weights.

The threshold is chosen for recall, not accuracy: a missed emergency is the worst failure
the product can have, and the rules stay as the floor beneath it. `python -m evals
emergency-loco` measures how it generalises to kinds of message it was not trained on.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings
from psycopg_pool import AsyncConnectionPool

from graph.routing.emergency import EmergencyAssessment, assess_folded
from graph.routing.emergency_arbitration import (
    SENTENCE_END,
    STATEMENT_MIN_WORDS,
    THRESHOLD,
    Arbitration,
    held_back,
    learned_verdict,
    read_by_sentence,
    readable,
)
from graph.routing.emergency_signs import signals
from graph.routing.emergency_words import fold
from graph.routing.kept_weights import keep, kept
from graph.routing.router import load_examples
from store.embedding_cache import cached_embeddings, parse_vector

log = logging.getLogger(__name__)

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
BANK_GLOB = "emergency_bank_*.jsonl"
# The code that turns a message into features: saved weights are keyed on it too.
FEATURE_CODE = (
    Path(__file__),
    Path(__file__).resolve().parent / "emergency_words.py",
    Path(__file__).resolve().parent / "emergency_signs.py",
)

# Inverse regularisation strength of the logistic regression (16 beat 4 at equal recall).
REGULARISATION_C = 16.0
# A message of several sentences is also read a sentence at a time. Its one embedding
# averages all of them, so an emergency told after an unrelated question ("is the pharmacy
# by the harbour open on Sundays? My head has been splitting since we came up…") or in the
# middle of a long story scores as what most of the message is about (0.08 there). Each
# sentence that reports something (not a question, and not held back by a framing of its
# own) is scored as well, and its score counts from STATEMENT_THRESHOLD, above THRESHOLD:
# a sentence alone has lost the rest of the message, so it must be surer, and it never
# outweighs a framing the rules read in the whole message ("…but it's fixed and we're back
# at the jetty" is in another sentence than the engine that stopped). Measured on 600
# rows by two new hands (evals/README.md, session 10): long stories' recall 0.80 -> 0.91,
# false alarms 12 -> 13 of 150; no file that is all short messages changes.
STATEMENT_THRESHOLD = 0.5


def ordinary_turns() -> list[dict]:
    """The router's labelled examples as negatives: everyday turns of every route.

    The bank's look-alikes are all near misses; without these the classifier never sees an
    ordinary question ("write me a poem", "when is the best time for Komodo?") and can put
    one on the wrong side of the line.
    """
    return [
        {
            "id": f"router-{i:04d}",
            "message": text,
            "is_emergency": False,
            "category": f"ordinary_{label}",
        }
        for i, (text, label) in enumerate(load_examples(), 1)
    ]


def load_bank(data_dir: Path = DATA_DIR, *, with_ordinary_turns: bool = True) -> list[dict]:
    """Every row of the bank, {id, message, is_emergency, category}, and the ordinary turns."""
    rows: list[dict] = []
    for path in sorted(data_dir.glob(BANK_GLOB)):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("message"), str) or not isinstance(
                row.get("is_emergency"), bool
            ):
                raise ValueError(f"{path.name}:{number}: needs 'message' and 'is_emergency'")
            rows.append(row)
    if with_ordinary_turns:
        known = {r["message"] for r in rows}
        rows += [r for r in ordinary_turns() if r["message"] not in known]
    return rows


def fit_weights(
    features: np.ndarray, labels: np.ndarray, c: float = REGULARISATION_C
) -> tuple[np.ndarray, float]:
    """Fit the classifier; returns its weights and bias."""
    from sklearn.linear_model import LogisticRegression  # only needed while fitting

    model = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    model.fit(features, labels)
    return model.coef_[0].astype(np.float64), float(model.intercept_[0])


def normalise(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def text_signals(texts: list[str]) -> np.ndarray:
    """The rules' signals of every text, one row each."""
    return np.asarray([signals(fold(text)) for text in texts], dtype=np.float64).reshape(
        len(texts), -1
    )


@dataclass(frozen=True)
class LearnedDetector:
    """Weights for the normalised embedding, weights for the rules' signals, a bias."""

    weights: np.ndarray
    signal_weights: np.ndarray
    bias: float
    threshold: float = THRESHOLD

    @classmethod
    def fit(
        cls,
        vectors: list[list[float]] | np.ndarray,
        labels: list[bool],
        rule_signals: np.ndarray | None = None,
        threshold: float = THRESHOLD,
    ) -> LearnedDetector:
        matrix = normalise(np.asarray(vectors, dtype=np.float64))
        extra = _signal_matrix(rule_signals, len(matrix))
        weights, bias = fit_weights(np.hstack([matrix, extra]), np.asarray(labels, dtype=bool))
        dimension = matrix.shape[1]
        return cls(weights[:dimension], weights[dimension:], bias, threshold)

    def probabilities(
        self, vectors: np.ndarray, rule_signals: np.ndarray | None = None
    ) -> np.ndarray:
        matrix = normalise(np.asarray(vectors, dtype=np.float64))
        extra = _signal_matrix(rule_signals, len(matrix))
        logits = matrix @ self.weights + extra @ self.signal_weights + self.bias
        return 1.0 / (1.0 + np.exp(-logits))

    def probability(self, vector: list[float], rule_signals: list[float] = ()) -> float:
        query = np.asarray(vector, dtype=np.float64)
        norm = float(np.linalg.norm(query)) or 1.0
        logit = float(query @ self.weights) / norm + self.bias
        if len(rule_signals):
            logit += float(np.asarray(rule_signals, dtype=np.float64) @ self.signal_weights)
        return 1.0 / (1.0 + np.exp(-logit))

    def is_emergency(self, vector: list[float], rule_signals: list[float] = ()) -> bool:
        return self.probability(vector, rule_signals) >= self.threshold


def statements(text: str) -> list[str]:
    """The sentences of a message of several that report something, to be scored alone.

    None for a short message or one of one sentence: its own embedding is near enough each
    sentence's. A question, or a sentence the rules read a framing into, is left out: alone
    it has lost what the rest of the message said about it.
    """
    return [s for s in _sentences(text) if not s.endswith("?") and held_back(s, fold(s)) is None]


def signed_sentences(text: str) -> list[str]:
    """The sentences of a long message the rules raise alone, questions included: what the
    veto weighs alone ("... my friend has had a numb arm since last night that still hasn't
    gone away, anyway which month is best for mantas?" ends with a question of its own)."""
    return [s for s in _sentences(text) if assess_folded(fold(s)).is_emergency]


def _sentences(text: str) -> list[str]:
    """A long message's sentences long enough to report something alone; none for a short
    message (`read_by_sentence`)."""
    if not read_by_sentence(text):
        return []
    return [s.strip() for s in SENTENCE_END.split(text) if len(s.split()) >= STATEMENT_MIN_WORDS]


def with_statements(probability: float, statement_probabilities) -> float:
    """The message's score, or its surest statement's where that counts and is higher."""
    counted = [p for p in statement_probabilities if p >= STATEMENT_THRESHOLD]
    return max([probability, *counted])


def _signal_matrix(rule_signals: np.ndarray | None, rows: int) -> np.ndarray:
    if rule_signals is None:
        return np.zeros((rows, 0))
    return np.asarray(rule_signals, dtype=np.float64).reshape(rows, -1)


class EmergencyDetector:
    """Both detectors, either one enough: the rules first, then the learned one.

    The rules need no embedding, so an emergency they recognise is answered before anything
    else is computed. Otherwise the turn is embedded — the router would embed it anyway, and
    reads the same vector from the embedding model's cache.
    """

    def __init__(
        self,
        embeddings: Embeddings,
        learned: LearnedDetector | None,
        arbitration: Arbitration | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.learned = learned
        self.arbitration = arbitration or Arbitration(
            threshold=learned.threshold if learned else THRESHOLD
        )

    async def assess(self, text: str) -> EmergencyAssessment:
        folded = fold(text)  # once per turn: the rules, the signals and the framing read it
        ruled = assess_folded(folded)
        if self.learned is None or not text.strip():
            return ruled
        if ruled.is_emergency and not (self.arbitration.veto > 0 and readable(text)):
            return ruled  # nothing could outweigh the rules' sign: no need to wait for a vector
        try:
            vector = await self.embeddings.aembed_query(text)
        except Exception:
            # The rules have already spoken; a failing embedding must not fail the turn here.
            log.exception("emergency detector: could not embed the turn; rules only")
            return ruled
        probability = self.learned.probability(vector, signals(folded))
        verdict = learned_verdict(
            text, folded, probability, self.learned.threshold, ruled, self.arbitration
        )
        told = statements(text) if not verdict.is_emergency else []
        vetoed = ruled.is_emergency and not verdict.is_emergency
        signed = [s for s in signed_sentences(text) if s not in told] if vetoed else []
        if not told and not signed:
            return verdict
        # The verdict only rises with the score, so the sentences are read only when the
        # whole message was not raised: the same verdicts as always taking the highest.
        try:
            vectors = await self.embeddings.aembed_documents(told + signed)
        except Exception:
            log.exception("emergency detector: could not embed the sentences; whole message only")
            return verdict
        probabilities = [
            self.learned.probability(v, signals(fold(s)))
            for v, s in zip(vectors, told + signed, strict=True)
        ]
        told_probabilities = probabilities[: len(told)]
        sentence_signs = [
            p
            for p, s in zip(probabilities, told + signed, strict=True)
            if assess_folded(fold(s)).is_emergency
        ]
        if ruled.is_emergency and max(sentence_signs, default=0.0) >= self.arbitration.veto:
            # A long message's one vector averages its sentences: a sign the rules raise in
            # one of them ("…is air integration worth the money? Oh, and my buddy has a
            # mottled patch on his shoulder since we came up", 0.00 whole) is weighed as that
            # sentence alone would be, by the rules and the detector's veto.
            return EmergencyAssessment(
                True, [*ruled.reasons, f"one sentence of it: p={max(sentence_signs):.2f}"]
            )
        surest = with_statements(probability, told_probabilities)
        if surest == probability:
            return verdict
        # A sentence alone has lost the message's framing: its score never outweighs it.
        assessed = learned_verdict(
            text, folded, surest, self.learned.threshold, ruled, self.arbitration.read_alone()
        )
        return EmergencyAssessment(
            assessed.is_emergency, [*assessed.reasons, f"one sentence of it: p={surest:.2f}"]
        )


async def bank_vectors(
    pool: AsyncConnectionPool, embeddings: Embeddings, rows: list[dict]
) -> np.ndarray:
    """The bank's embeddings, through the embedding cache (a warm start computes none)."""
    literals, computed = await cached_embeddings(pool, embeddings, [r["message"] for r in rows])
    if computed:
        log.info("emergency bank: embedded %d new messages", computed)
    return np.asarray([parse_vector(literals[r["message"]]) for r in rows], dtype=np.float64)


def fit_on_bank(rows: list[dict], vectors: np.ndarray) -> LearnedDetector:
    """The detector trained on the bank's rows, their vectors and the rules' signals."""
    return LearnedDetector.fit(
        vectors,
        [r["is_emergency"] for r in rows],
        text_signals([r["message"] for r in rows]),
    )


async def build_detector(
    pool: AsyncConnectionPool, embeddings: Embeddings, cache_dir: Path | None = None
) -> EmergencyDetector:
    """Train the learned detector from the bank, as the services start.

    With a `cache_dir`, the fitted weights are kept there under a key of everything they
    depend on (the bank, the embedding model, the feature code, C): a warm start loads
    them instead of reading the bank's vectors and fitting, which takes seconds."""
    # Reading the bank and fitting are blocking work: off the event loop.
    rows = await asyncio.to_thread(load_bank)
    if not rows:
        log.warning("emergency bank is empty: the rules alone guard emergencies")
        return EmergencyDetector(embeddings, None)
    saved = (
        cache_dir / f"emergency-detector-{weights_key(rows, embeddings)}.npz" if cache_dir else None
    )
    if saved is not None and saved.exists():
        try:
            return EmergencyDetector(embeddings, await asyncio.to_thread(load_weights, saved))
        except (OSError, ValueError, KeyError):
            log.warning("emergency detector: unreadable saved weights %s; fitting afresh", saved)
    vectors = await bank_vectors(pool, embeddings, rows)
    learned = await asyncio.to_thread(fit_on_bank, rows, vectors)
    if saved is not None:
        await asyncio.to_thread(save_weights, learned, saved)
    return EmergencyDetector(embeddings, learned)


def weights_key(rows: list[dict], embeddings: Embeddings) -> str:
    """A digest of everything the fitted weights depend on."""
    digest = hashlib.sha256()
    model = f"{getattr(embeddings, 'model_name', type(embeddings).__name__)}"
    digest.update(f"{model}/{getattr(embeddings, 'dimension', '')}/C={REGULARISATION_C}".encode())
    for source in FEATURE_CODE:
        digest.update(source.read_bytes())
    for row in rows:
        digest.update(json.dumps([row["message"], row["is_emergency"]]).encode())
    return digest.hexdigest()[:16]


def save_weights(learned: LearnedDetector, path: Path) -> None:
    keep(
        path,
        weights=learned.weights,
        signal_weights=learned.signal_weights,
        bias=np.asarray([learned.bias]),
    )


def load_weights(path: Path) -> LearnedDetector:
    saved = kept(path)
    return LearnedDetector(
        saved["weights"], saved["signal_weights"], float(saved["bias"][0]), THRESHOLD
    )
