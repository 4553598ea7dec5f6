# Two entry points (see README): `make demo` runs the main job, `make test` runs the checks.
# Both create .venv and install the project from this repository on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
OUT ?= out

.PHONY: demo test bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/marse-oscal content sync
	$(BIN)/marse-oscal profile verify
	$(BIN)/marse-oscal profile resolve -o $(OUT)/mars-e-2.0-resolved-catalog.json
	$(BIN)/marse-oscal profile diff --baseline moderate
	$(BIN)/marse-oscal compdef coverage
	$(BIN)/marse-oscal validate component-definitions/*/component-definition.json profiles/mars-e-2.0/profile.json profiles/mars-e-2.0/mars-e-supplemental-catalog.json $(OUT)/mars-e-2.0-resolved-catalog.json

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_foundation.py
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_compdef.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
