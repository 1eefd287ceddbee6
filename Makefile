# Two commands on a fresh machine:
#   make demo   set up, make the demo region and run it (report in demo-vallei/report/)
#   make test   set up with the dev extra and run lint, types, the import layers and the tests
PYTHON ?= python3
VENV   ?= .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
DEMO   ?= demo-vallei
SIZE   ?= default

.PHONY: demo test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/alliantie demo --out $(DEMO) --size $(SIZE)
	$(BIN)/alliantie run $(DEMO)/dossier.toml

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q -n 2

clean:
	rm -rf $(DEMO) .pytest_cache .mypy_cache .ruff_cache
