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
	$(BIN)/marse-oscal demo -o $(OUT)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_foundation.py
	$(BIN)/python benchmarks/bench_validate.py
	$(BIN)/python benchmarks/bench_compdef.py
	$(BIN)/python benchmarks/bench_ssp.py

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .ruff_cache
