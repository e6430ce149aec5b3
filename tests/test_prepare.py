"""`dovvybuddy prepare` does at set-up what a first server start would otherwise do."""

import pytest
from typer.testing import CliRunner

from cli.main import app
from config.settings import get_settings
from graph.routing import emergency_detector, learned


@pytest.mark.db
def test_prepare_keeps_the_weights_a_server_start_then_loads(database_url, tmp_path, monkeypatch):
    # The embedding model's exported files are reused (exporting them again takes a while);
    # the weights start from nothing.
    (tmp_path / "models").mkdir()
    for exported in (get_settings().data_dir / "models").glob("*"):
        if exported.suffix != ".npz":
            (tmp_path / "models" / exported.name).symlink_to(exported)
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        first = CliRunner().invoke(app, ["prepare"])
        assert first.exit_code == 0, first.output
        assert "prepared in" in first.output
        models = tmp_path / "models"
        assert len(list(models.glob("router-logistic-*.npz"))) == 1
        assert len(list(models.glob("emergency-detector-*.npz"))) == 1

        def no_fitting(*_):
            raise AssertionError("fitted again although prepare kept the weights")

        monkeypatch.setattr(learned, "_fit", no_fitting)
        monkeypatch.setattr(emergency_detector, "fit_on_bank", no_fitting)
        again = CliRunner().invoke(app, ["prepare"])
        assert again.exit_code == 0, again.output
    finally:
        get_settings.cache_clear()
