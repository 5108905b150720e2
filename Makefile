# Two set-up commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB := data/out/vanban.duckdb
STAMP := $(VENV)/.installed

.PHONY: run test lint format bench samples clean system-deps regress

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,ray]'
	touch $(STAMP)

## system-deps: Tesseract OCR + Vietnamese data for scanned PDFs (best effort, never fails)
system-deps:
	-@bash scripts/install-system-deps.sh

## run: ingest data/raw into data/out/vanban.duckdb and print what was loaded
run: $(STAMP) system-deps
	mkdir -p data/out
	$(BIN)/vanban ingest data/raw --db $(DB); status=$$?; \
	$(BIN)/vanban query --db $(DB) "SELECT (SELECT count(*) FROM documents) AS documents, \
	  (SELECT count(*) FROM documents WHERE status = 'failed') AS failures, \
	  (SELECT count(*) FROM tasks) AS tasks, (SELECT count(*) FROM task_units) AS units, \
	  (SELECT count(*) FROM citations) AS citations, (SELECT count(*) FROM targets) AS targets"; \
	exit $$status

## test: ruff (lint and format check) and pytest, in the same venv
test: $(STAMP) system-deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## bench: throughput vs raw readers, start-up, ingest of 100 files (BENCH_ARGS="--quick" or "--sizes 100,1000,5000")
bench: $(STAMP)
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

## regress: snapshot the records of seeds, fixtures and corpus (data/regress/) and diff against the baseline
regress: $(STAMP)
	$(BIN)/python scripts/regress.py $(if $(ACCEPT),--accept,)

## samples: rebuild the DOCX/PDF sample documents in data/raw/samples
samples: $(STAMP)
	$(BIN)/python scripts/make_samples.py

clean:
	rm -rf data/out/*.duckdb data/out/*.wal .pytest_cache .ruff_cache

## layout-bench: the same tasks in many layouts and formats, scored per layout (tests/layout_bench)
.PHONY: layout-bench
layout-bench: $(STAMP)
	$(BIN)/python -m tests.layout_bench --details
