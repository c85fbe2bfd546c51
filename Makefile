# The two commands a fresh machine needs (see README):
#   make all FROM=path/or/url/to/registry-export   set up .venv, then ingest + process + build everything
#   make test                                      set up .venv, then run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FROM ?=

.PHONY: setup all process build test lint dictionary notebooks benchmark

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

all: $(STAMP)
	$(BIN)/confessions all $(if $(FROM),--from "$(FROM)",)

process: $(STAMP)
	$(BIN)/confessions process

build: $(STAMP)
	$(BIN)/confessions build

test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks

dictionary: $(STAMP)
	$(BIN)/python -m analysis.normalise.dictionary

notebooks: $(STAMP)
	$(BIN)/python notebooks/make_notebooks.py

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py
