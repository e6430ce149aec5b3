"""The Docker image, checked without a Docker engine (none runs on these machines).

The build context is made by docker-py's own `.dockerignore` matching (the rules the Docker
CLI applies), and the Dockerfile is read with a Dockerfile parser. The context is installed,
without an editable link back to this checkout, into a fresh virtualenv that borrows the
already-installed third-party packages (a `.pth` line, not a re-download), and then:

- the console script answers `dovvybuddy --help`;
- `server`, `config` and the rest are imported from that virtualenv, never from here;
- every third-party module the app imports belongs to a declared runtime dependency
  (a dev-only import would pass here and fail in the image);
- the image's own CMD, with the image's own ENV, migrates and serves: /health and /ready
  answer and /metrics serves.

What it does not prove: that the base image, the CPU torch index or pip's resolution work
(CI's deploy workflow builds the real image), nor anything about the OS layer.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import time
from pathlib import Path

import httpx
import pytest
from docker.utils.build import tar as docker_context_tar
from dockerfile_parse import DockerfileParser

from tests.server_process import free_port

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.db


def dockerignore_patterns() -> list[str]:
    # Read the way docker-py's own build() reads it: one pattern a line, '#' starts a comment.
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.strip().startswith("#")]


def dockerfile() -> DockerfileParser:
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    return parser


def stages(parser: DockerfileParser) -> list[list[dict]]:
    """Instructions grouped by stage (FROM starts one)."""
    grouped: list[list[dict]] = []
    for instruction in parser.structure:
        if instruction["instruction"] == "FROM":
            grouped.append([])
        if grouped:
            grouped[-1].append(instruction)
    return grouped


@pytest.fixture(scope="module")
def context(tmp_path_factory) -> Path:
    """The build context exactly as docker-py would send it, unpacked."""
    target = tmp_path_factory.mktemp("context")
    archive = docker_context_tar(str(ROOT), exclude=dockerignore_patterns(), dockerfile=None)
    with tarfile.open(fileobj=io.BytesIO(archive.read())) as tar:
        tar.extractall(target, filter="data")
    return target


@pytest.fixture(scope="module")
def image_venv(context, tmp_path_factory) -> Path:
    """A fresh virtualenv with the context installed (not editable) into it."""
    venv = tmp_path_factory.mktemp("image") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Third-party packages come from this checkout's environment, appended after the fresh
    # site-packages; its own .pth files (the editable link to this checkout) are not run.
    borrowed = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(purelib, "zz_borrowed_dependencies.pth").write_text("\n".join(sorted(borrowed)) + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--quiet",
            "--no-deps",
            # Build with this environment's setuptools when it is recent enough for
            # pyproject.toml; otherwise let pip fetch one into an isolated build env.
            *(["--no-build-isolation"] if _setuptools_major() >= 69 else []),
            "--disable-pip-version-check",
            str(context),
        ],
        check=True,
        cwd=context,
    )
    return venv


def _setuptools_major() -> int:
    from importlib.metadata import version

    return int(version("setuptools").split(".")[0])


def test_the_context_holds_the_app_and_nothing_local(context):
    sent = {p.relative_to(context).as_posix() for p in context.rglob("*") if p.is_file()}
    for needed in ("pyproject.toml", "README.md", "server.py", "api/chat.py", "leads/delivery.py"):
        assert needed in sent, f"{needed} is not in the build context"
    assert any(p.startswith("content/") and p.endswith(".md") for p in sent)
    assert any(p.startswith("store/migrations/versions/") for p in sent)
    for path in sent:
        top = path.split("/", 1)[0]
        assert top not in {".git", ".venv", ".dovvybuddy", "tests", ".env"}, path
        assert "__pycache__" not in path and not path.endswith(".pyc"), path
    assert len(sent) < 1000, f"{len(sent)} files: is something large being sent?"


def test_every_copy_source_is_in_the_context(context):
    copies = [
        i
        for i in dockerfile().structure
        if i["instruction"] in ("COPY", "ADD") and "--from=" not in i["value"]
    ]
    assert copies, "the Dockerfile copies nothing from the context"
    for instruction in copies:
        *sources, _dest = [w for w in instruction["value"].split() if not w.startswith("--")]
        for source in sources:
            assert source == "." or (context / source).exists(), (
                f"line {instruction['startline'] + 1}: COPY {source} is excluded by .dockerignore"
            )
    # No per-folder COPY lists: the project goes in whole.
    assert any(i["value"].split()[:2] == [".", "."] for i in copies)


def test_the_image_is_multi_stage_pinned_and_unprivileged():
    parser = dockerfile()
    grouped = stages(parser)
    assert len(grouped) >= 2
    global_args = dict(
        i["value"].split("=", 1)
        for i in parser.structure
        if i["instruction"] == "ARG" and i["startline"] < grouped[0][0]["startline"]
    )
    base = global_args.get("PYTHON_IMAGE", "")
    assert re.search(r"@sha256:[0-9a-f]{64}$", base), "the base image is not pinned by digest"
    for stage in grouped:
        assert stage[0]["value"].startswith("${PYTHON_IMAGE}"), stage[0]["value"]
    runtime = grouped[-1]
    users = [i["value"] for i in runtime if i["instruction"] == "USER"]
    assert users and not users[-1].startswith(("root", "0")), "the image runs as root"
    assert any(i["instruction"] == "CMD" for i in runtime)


def test_the_installed_context_imports_and_answers_help(image_venv, tmp_path):
    bin_dir = image_venv / "bin"
    help_text = subprocess.run(
        [bin_dir / "dovvybuddy", "--help"],
        check=True,
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"},
    ).stdout
    assert "serve" in help_text and "ingest" in help_text

    probe = subprocess.run(
        [bin_dir / "python", "-c", IMPORT_PROBE],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # not this checkout: nothing may be imported from here
        env={**os.environ, "DATABASE_URL": ""},
    )
    assert probe.returncode == 0, probe.stderr[-3000:]
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    for module, location in report["own"].items():
        assert location.startswith(str(image_venv)), f"{module} imported from {location}"
    assert not report["undeclared"], (
        f"imported at start-up but not a runtime dependency: {report['undeclared']}"
    )


def test_the_image_command_migrates_and_serves(image_venv, context, database_url, tmp_path):
    parser = dockerfile()
    runtime = stages(parser)[-1]
    env = dict(parser.envs)  # the last stage's ENV, as the container would have it
    command = json.loads(next(i["value"] for i in runtime if i["instruction"] == "CMD"))
    port = free_port()
    env.update(
        PATH=f"{image_venv / 'bin'}:{os.environ['PATH']}",
        HOST="127.0.0.1",
        PORT=str(port),
        CONTENT_DIR=str(context / "content"),
        DATA_DIR=str(tmp_path / "data"),
        DATABASE_URL=database_url,
        HOME=str(tmp_path),
        # This machine's OpenBLAS workaround, when set, must reach the child as well.
        **{k: v for k, v in os.environ.items() if k.startswith("OPENBLAS_")},
    )
    log = tmp_path / "server.log"
    process = subprocess.Popen(
        command, cwd=tmp_path, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240  # a loaded 2-core machine is slow to import torch
        while time.monotonic() < deadline:
            assert process.poll() is None, f"the image command exited:\n{log.read_text()[-3000:]}"
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.3)
        else:
            pytest.fail(f"/health never answered:\n{log.read_text()[-3000:]}")
        ready = httpx.get(f"{base}/ready", timeout=10).json()
        assert ready["checks"]["database"]["status"] == "ok", ready
        metrics = httpx.get(f"{base}/metrics", timeout=10)
        assert metrics.status_code == 200 and "dovvybuddy_database_up 1.0" in metrics.text
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()


# Runs inside the image's virtualenv: import the app as uvicorn would, then report where the
# project's modules came from and which third-party distributions were needed that the
# project does not declare (transitively) for the image's extras.
IMPORT_PROBE = r"""
import json, re, sys
from importlib import metadata
from packaging.requirements import Requirement

import server  # builds the app, as `uvicorn server:app` does
import cli.main

own = {}
OWN = ("server", "config", "api", "leads", "graph", "chains", "store", "cli", "observability")
for name in OWN:
    module = sys.modules[name]
    own[name] = getattr(module, "__file__", None) or list(module.__path__)[0]

def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()

declared, todo = set(), [("dovvybuddy", frozenset({"offline"}))]
while todo:
    name, extras = todo.pop()
    key = canonical(name)
    if (key, extras) in declared:
        continue
    declared.add((key, extras))
    try:
        requires = metadata.requires(name) or []
    except metadata.PackageNotFoundError:
        continue
    for line in requires:
        req = Requirement(line)
        envs = [{"extra": e} for e in extras] or [{"extra": ""}]
        if req.marker is None or any(req.marker.evaluate(env) for env in envs):
            todo.append((req.name, frozenset(req.extras)))
declared_names = {key for key, _ in declared}

owners = metadata.packages_distributions()
stdlib = set(sys.stdlib_module_names)
undeclared = set()
for name in list(sys.modules):
    top = name.split(".")[0]
    if top in stdlib or top.startswith("_") or top in own:
        continue
    dists = owners.get(top, [])
    # A namespace (google) is shared by many distributions: one declared owner suffices.
    if dists and not any(canonical(dist) in declared_names for dist in dists):
        undeclared.add(f"{top} ({', '.join(dists)})")
print(json.dumps({"own": own, "undeclared": sorted(undeclared)}))
"""
