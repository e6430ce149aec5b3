# DovvyBuddy API image. Point DATABASE_URL at a Postgres >= 15 with pgvector; without it
# the container starts an embedded Postgres in /app/.dovvybuddy (mount a volume there).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    TRANSFORMERS_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    HOST=0.0.0.0 \
    PORT=8000

WORKDIR /app
# CPU-only torch first, so sentence-transformers does not pull the CUDA build.
RUN pip install --no-cache-dir torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu
COPY pyproject.toml README.md ./
COPY config ./config
COPY store ./store
COPY chains ./chains
COPY graph ./graph
COPY ingest ./ingest
COPY cli ./cli
COPY evals ./evals
COPY server.py langgraph.json ./
RUN pip install --no-cache-dir ".[offline]"
COPY content ./content

# An unprivileged user: as root, pgserver would create a system user of its own for Postgres.
RUN useradd --create-home dovvy && mkdir -p /app/.dovvybuddy && chown -R dovvy /app
USER dovvy
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
  CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health').status != 200)"
CMD ["sh", "-c", "dovvybuddy db migrate && dovvybuddy ingest run && dovvybuddy serve --host $HOST --port $PORT"]
