"""Kept weights: written whole, read back, and the superseded files of the same kind removed."""

import numpy as np

from graph.routing.kept_weights import keep, kept


def test_kept_arrays_read_back_equal(tmp_path):
    path = tmp_path / "models" / "router-logistic-0123456789abcdef.npz"
    keep(path, coef=np.arange(6, dtype=np.float32).reshape(2, 3), classes=np.asarray(["a", "b"]))
    saved = kept(path)
    assert saved["coef"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert saved["classes"].tolist() == ["a", "b"]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left


def test_keeping_new_weights_removes_older_ones_of_the_same_kind_only(tmp_path):
    models = tmp_path / "models"
    old = models / "router-logistic-aaaaaaaaaaaaaaaa.npz"
    other_kind = models / "emergency-detector-bbbbbbbbbbbbbbbb.npz"
    onnx = models / "all-MiniLM-L6-v2-4aae390e288ec7bc.onnx"
    keep(old, coef=np.zeros(2))
    keep(other_kind, weights=np.zeros(2))
    onnx.write_bytes(b"model")

    new = models / "router-logistic-cccccccccccccccc.npz"
    keep(new, coef=np.ones(2))

    assert sorted(p.name for p in models.iterdir()) == sorted(
        [new.name, other_kind.name, onnx.name]
    )
    assert kept(new)["coef"].tolist() == [1.0, 1.0]
