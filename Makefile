# The two commands a fresh machine needs (see README):
#   make all [FROM=path/or/url/to/registry-export] set up .venv, then ingest + process + build everything
#                                                  (no FROM and nothing stored: the synthetic demo export)
#   make test                                      set up .venv, then run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements-lock.txt
FROM ?=

.PHONY: setup lock all process build test lint dictionary notebooks benchmark

# .venv gets exactly the versions pinned in the lock (Python 3.11, Linux; the project's runtime and test
# dependencies), then the project itself without touching them.
$(STAMP): pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

# Regenerate the lock from pyproject.toml after changing its dependencies (keeps current pins where they still fit;
# `make lock UPGRADE=1` moves every pin to the newest release), then `make setup` installs it.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --allow-unsafe --no-emit-index-url --no-emit-find-links \
		$(if $(UPGRADE),--upgrade,) -o $(LOCK) pyproject.toml

all: $(STAMP)
	$(BIN)/confessions all $(if $(FROM),--from "$(FROM)",)

process: $(STAMP)
	$(BIN)/confessions process

build: $(STAMP)
	$(BIN)/confessions build

# --dist loadfile: a test file's tests share one worker, so its module fixtures (a whole build, executed
# notebooks) are made once, not once per worker
test: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/python -m pytest -n 2 --dist loadfile -q

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks notebooks

dictionary: $(STAMP)
	$(BIN)/python -m analysis.normalise.dictionary

# the notebooks are the jupytext .py files in notebooks/: this opens them in JupyterLab (edits are saved to the
# .py files); `confessions build` executes them into reports/notebooks/
notebooks: $(STAMP)
	$(BIN)/jupyter lab notebooks/

benchmark: $(STAMP)
	$(BIN)/python benchmarks/run.py
