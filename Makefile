# Everything runs inside .venv, made here from pyproject.toml (pinned versions).
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
# Debian's Chromium prints the PDF and runs the browser tests (Playwright cannot download
# browsers here). Point CHROMIUM at another Chromium or Chrome binary to use that one instead.
CHROMIUM ?= /usr/bin/chromium
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1
export KB_CHROMIUM := $(CHROMIUM)

.PHONY: site pdf test normalize check serve lint bench clean

# Set up, regenerate docs/ from notes/, build the site (strict: any broken link fails) and its PDFs.
site: $(BIN)/kb $(CHROMIUM)
	$(BIN)/kb normalize
	$(BIN)/mkdocs build --strict
	$(BIN)/kb pdf

# The PDFs alone, from an already built site/.
pdf: $(BIN)/kb
	$(BIN)/kb pdf

# Run every test (lint, unit, golden, site build, browser, PDF).
test: $(BIN)/kb $(CHROMIUM)
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

# Prints normalize, site build and PDF timings and sizes for the notes and a corpus 20x larger.
bench: $(BIN)/kb $(CHROMIUM)
	$(BIN)/python tests/benchmark.py

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

$(CHROMIUM):
	@echo "Installing Debian's chromium and poppler-utils (PDF printing, browser and PDF tests)"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium poppler-utils fonts-dejavu-core

clean:
	rm -rf site $(VENV)
