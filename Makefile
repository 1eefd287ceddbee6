# Two commands on a fresh machine:
#   make demo   set up, make the demo region and run it (report in demo-vallei/report/)
#   make serve  the web app on the demo (after make demo): atlas and sketch workshop
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

.PHONY: demo serve test lint bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/alliantie demo --out $(DEMO) --size $(SIZE)
	$(BIN)/alliantie run $(DEMO)/dossier.toml

serve: $(VENV)/.installed
	$(BIN)/alliantie serve $(DEMO)

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest -q -n 2

clean:
	rm -rf $(DEMO) .pytest_cache .mypy_cache .ruff_cache
