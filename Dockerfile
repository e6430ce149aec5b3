# syntax=docker/dockerfile:1
# The DovvyBuddy API image: built from the whole context (what .dockerignore lets through),
# in two stages, running as an unprivileged user.
#
#   docker build -t dovvybuddy .
#   docker run -p 8080:8080 -e DATABASE_URL=postgresql://… dovvybuddy           # the API
#   docker run -e DATABASE_URL=postgresql://… dovvybuddy dovvybuddy ingest run  # one-off job
#
# Without DATABASE_URL the container starts an embedded Postgres in /app/.dovvybuddy (mount a
# volume there); in production point it at Cloud SQL (docs/deploy.md).
#
# Base image, pinned by digest: python:3.11-slim-bookworm, multi-platform index digest as
# published on 2026-08-25. Refresh it (and review the Python patch release it brings) with
#   docker buildx imagetools inspect python:3.11-slim-bookworm --format '{{.Manifest.Digest}}'
# (or `crane digest python:3.11-slim-bookworm`), then replace the digest below.
ARG PYTHON_IMAGE=python:3.11-slim-bookworm@sha256:fe556eaffd0d96abd8685b83bb8a69addd0dc730fa193669a7df0d49ddcfac02

# --- build: a virtualenv holding the project and its dependencies ---------------------------
FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH
RUN python -m venv /opt/venv
# CPU-only torch first, so sentence-transformers does not pull the CUDA build.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
WORKDIR /src
# Dependencies first, from the declaration alone, so a code change reuses this layer.
COPY pyproject.toml ./
RUN python -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
print('\n'.join(p['dependencies'] + p['optional-dependencies']['offline']))" > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt
# Then the project itself: everything the context holds (.dockerignore decides what that is).
COPY . .
RUN pip install --no-deps . && dovvybuddy --help > /dev/null

# --- runtime: the virtualenv, the knowledge base, nothing else -------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    HOST=0.0.0.0 \
    PORT=8080 \
    CONTENT_DIR=/app/content \
    DATA_DIR=/app/.dovvybuddy
# As root, pgserver would create a system user of its own for the embedded Postgres.
RUN useradd --system --uid 10001 --user-group --create-home --home-dir /home/dovvy dovvy
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
COPY --from=build /src/content ./content
RUN mkdir -p /app/.dovvybuddy && chown dovvy:dovvy /app/.dovvybuddy
USER 10001:10001
# Export and optimise MiniLM to ONNX once, into the image: an instance whose DATA_DIR starts
# empty (Cloud Run) then loads the file instead of paying about 10 s on every cold start.
RUN python -c "from chains.embeddings import LocalMiniLMEmbeddings; LocalMiniLMEmbeddings().warm_up()"
EXPOSE 8080
# Cloud Run ignores HEALTHCHECK (it probes /health itself, see deploy/); `docker run` uses it.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import os, sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8080'), timeout=4).status != 200)"
# Migrate, then serve (exec: uvicorn gets SIGTERM and drains). Indexing content/ is a separate
# one-off job in production: `dovvybuddy ingest run`.
CMD ["/bin/sh", "-c", "dovvybuddy db migrate && exec dovvybuddy serve"]
