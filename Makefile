# Everything runs inside .venv, made here from pyproject.toml (pinned versions).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test normalize check serve lint clean

# Set up, regenerate docs/ from notes/, and build the site (strict: any broken link fails).
site: $(BIN)/kb
	$(BIN)/kb normalize
	$(BIN)/mkdocs build --strict

# Run every test (unit, golden, site build).
test: $(BIN)/kb
	$(BIN)/ruff check tools tests hooks
	$(BIN)/pytest

normalize: $(BIN)/kb
	$(BIN)/kb normalize

# Fails when docs/ does not match notes/ (for CI and before committing).
check: $(BIN)/kb
	$(BIN)/kb normalize --check

# Live preview at http://127.0.0.1:8000; edits to notes/ and config/ regenerate the pages.
serve: $(BIN)/kb
	$(BIN)/mkdocs serve

lint: $(BIN)/kb
	$(BIN)/ruff check tools tests hooks

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

clean:
	rm -rf site $(VENV)
