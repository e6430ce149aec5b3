"""The ONNX MiniLM gives the torch model's vectors, exports once, and serves without torch."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter

import numpy as np
import pytest

from chains.embeddings import LocalMiniLMEmbeddings, bundled_model_dir

TEXTS = [
    "What is the minimum age for Open Water?",
    "nitrox",
    "My buddy surfaced too fast and feels dizzy, what should we do?",
    # Past 256 word pieces: both models must truncate at the same place.
    " ".join(["Sipadan's drop-off falls six hundred metres into the Celebes Sea."] * 40),
]


@pytest.fixture(scope="module")
def onnx_model(tmp_path_factory):
    return LocalMiniLMEmbeddings(cache_dir=tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="module")
def torch_model():
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(str(bundled_model_dir()), device="cpu")


def test_vectors_match_the_torch_model(onnx_model, torch_model):
    expected = torch_model.encode(TEXTS, normalize_embeddings=True, convert_to_numpy=True)
    batch = np.array(onnx_model.embed_documents(TEXTS))  # padded together in one batch
    single = np.array([onnx_model.embed_query(text) for text in TEXTS])
    for got in (batch, single):
        assert got.shape == (len(TEXTS), 384)
        cosines = (got * expected).sum(axis=1)  # both sides are unit vectors
        assert cosines.min() > 0.9999, cosines
        assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_token_counts_match_the_torch_tokenizer(onnx_model, torch_model):
    for text in TEXTS:
        expected = len(torch_model.tokenizer(text, truncation=False)["input_ids"])
        assert onnx_model.count_tokens(text) == expected
    assert onnx_model.count_tokens(TEXTS[-1]) > onnx_model.max_tokens == 256


def test_the_served_model_is_the_fused_one(onnx_model):
    import onnx

    onnx_model.embed_query("make sure it is exported")
    served = onnx_model._model_path
    assert served.name.endswith(".optimized.onnx")
    ops = Counter(node.op_type for node in onnx.load(str(served)).graph.node)
    # One fused attention, two residual LayerNorms and one GELU per layer, six layers.
    assert ops["Attention"] == 6 and ops["SkipLayerNormalization"] == 12, ops
    assert ops["BiasGelu"] + ops["FastGelu"] + ops["Gelu"] == 6, ops
    assert ops["Softmax"] == 0  # nothing of the unfused attention is left


def test_the_export_is_cached_and_serving_needs_no_torch(onnx_model):
    onnx_model.embed_query("make sure it is exported")
    cache_dir = onnx_model.cache_dir
    files = sorted(cache_dir.glob("*.onnx"))
    # The plain export and its optimized rewrite, keyed alike; nothing half-written.
    assert len(files) == 2 and not list(cache_dir.glob("*.partial"))
    assert files[0].name.replace(".onnx", ".optimized.onnx") == files[1].name
    modified = [f.stat().st_mtime_ns for f in files]
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from chains.embeddings import LocalMiniLMEmbeddings\n"
        f"model = LocalMiniLMEmbeddings(cache_dir=Path({str(cache_dir)!r}))\n"
        "assert len(model.embed_query('is torch loaded?')) == 384\n"
        "print('torch' in sys.modules, 'transformers' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["False", "False"]
    assert [f.stat().st_mtime_ns for f in files] == modified  # loaded, not made again


def test_the_weights_digest_is_remembered_until_the_weights_change(tmp_path):
    import hashlib
    import os

    from chains.onnx_export import EXPORT_VERSION, _weights_digest

    weights = tmp_path / "model.safetensors"
    weights.write_bytes(b"first weights")

    def expected(content: bytes) -> str:
        return hashlib.sha256(EXPORT_VERSION.encode() + content).hexdigest()[:16]

    cache = tmp_path / "models"
    assert _weights_digest(weights, cache) == expected(b"first weights")
    assert (cache / "weights-digest.txt").exists()
    # Remembered: a wrong digest planted under the same key is what comes back...
    key = (cache / "weights-digest.txt").read_text().split("\n")[0]
    (cache / "weights-digest.txt").write_text(f"{key}\n{'0' * 16}\n")
    assert _weights_digest(weights, cache) == "0" * 16
    # ...until the weights change (another size or modification time): hashed afresh.
    weights.write_bytes(b"other weights!")
    os.utime(weights, ns=(1, 1))
    assert _weights_digest(weights, cache) == expected(b"other weights!")


async def test_a_search_query_vector_is_composed_from_its_cached_parts(onnx_model):
    """The diver's words and the words the focus added are each embedded once; a query
    made of both then costs no run of the model, and points where the whole query does."""
    from chains.embeddings import aembed_continued

    head, tail = "How warm is the water in August?", "Tioman water temperature wetsuit"
    whole = np.array(onnx_model.embed_query(f"{head} {tail}"))
    onnx_model.clear_query_cache()
    await onnx_model.aembed_query(head)
    await onnx_model.aembed_query(tail)
    runs = Counter()
    encode = onnx_model._encode
    object.__setattr__(onnx_model, "_encode", lambda texts: runs.update(texts) or encode(texts))
    try:
        composed = np.array(await aembed_continued(onnx_model, head, tail))
    finally:
        object.__delattr__(onnx_model, "_encode")
    assert not runs  # both parts came from the cache
    assert np.isclose(np.linalg.norm(composed), 1.0)
    assert composed @ whole > 0.9
    # Closer to the whole query than the diver's words alone are.
    assert composed @ whole > np.array(onnx_model.embed_query(head)) @ whole


async def test_without_a_query_cache_the_whole_query_is_embedded_once():
    """A hosted model bills every call: two parts would cost two calls instead of one."""
    from langchain_core.embeddings import Embeddings

    from chains.embeddings import aembed_continued

    class Hosted(Embeddings):
        def __init__(self):
            self.asked = []

        def embed_documents(self, texts):
            return [self.embed_query(text) for text in texts]

        def embed_query(self, text):
            self.asked.append(text)
            return [1.0, 0.0]

    hosted = Hosted()
    assert await aembed_continued(hosted, "How warm is it?", "Tioman water") == [1.0, 0.0]
    assert hosted.asked == ["How warm is it? Tioman water"]
