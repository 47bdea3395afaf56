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

.PHONY: help venv demo test test-pg lint format bench bench-store bench-scale eval clean

help:
	@echo "make demo    set up .venv and run saywho on examples/"
	@echo "make test    set up .venv, lint (ruff) and run the tests (starting a local PostgreSQL when it can)"
	@echo "make test-pg the same with a local PostgreSQL started by .ci/postgres.sh (as CI does)"
	@echo "make lint    ruff check and ruff format --check"
	@echo "make format  ruff format and ruff check --fix"
	@echo "make bench   time extraction against bare spaCy on POLNEAR=$(POLNEAR)"
	@echo "make bench-store  ingest throughput and query latency of the corpus database (bench/README.md)"
	@echo "make bench-scale  words/s of saywho ingest per engine (local, ray) and workers (1, 2) on POLNEAR_TRAIN"
	@echo "make eval    score against PolNeAR dev in $(DATA)/polnear"
	@echo "make clean   remove .venv, caches and build output"

venv: $(STAMP)

# Re-installs only when pyproject.toml changes (or .venv is gone).
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "saywho needs Python >= 3.11, found " + sys.version.split()[0] + ": run make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,ray]'
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
test: lint
	@url="$${SAYWHO_TEST_PG:-$$(bash .ci/postgres.sh 2>/dev/null || true)}"; \
	if [ -z "$$url" ]; then echo "make test: no PostgreSQL here (needs root and apt-get); its tests are skipped, CI runs them"; fi; \
	SAYWHO_TEST_PG="$$url" $(BIN)/python -m pytest

test-pg:
	SAYWHO_TEST_PG="$$(bash .ci/postgres.sh)" SAYWHO_REQUIRE_PG=1 $(MAKE) test

bench: venv
	$(BIN)/python bench/bench_extract.py $(POLNEAR) $(BENCH_ARGS)

bench-store: venv
	nice $(BIN)/python bench/bench_store.py ingest $(POLNEAR_TRAIN) --limit 300 $(BENCH_ARGS)
	nice $(BIN)/python bench/bench_store.py query --statements 1000000 $(BENCH_ARGS)

# Both engines x 1 and 2 workers, interleaved; the machine is shared, so the load average is recorded.
bench-scale: venv
	$(BIN)/python bench/bench_scale.py $(POLNEAR_TRAIN) --limit 300 --repeat 2 $(BENCH_ARGS)

eval: venv
	$(BIN)/saywho eval polnear $(DATA)/polnear --split dev

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
