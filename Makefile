# bnpaper — the two commands a new user needs:
#   make book   build the HTML book into _build/html (Sphinx warnings are errors)
#   make test   run every test: unit tests; strict nbval over every notebook in book/ in the
#               Binder environment and under other CPUs' numeric kernels; the book; the site
# Both create the virtual environment .venv with the pinned versions on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test test-site test-notebooks-binder test-notebooks-other test-units test-lint \
	test-deps test-hosts execute lint bench clean help

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     unit tests, strict nbval (Binder, other CPUs), book, site"
	@echo "make execute  re-execute every notebook in place from a fresh kernel (NB=relu: one)"
	@echo "make lint     ruff over src/, tests/ and the notebooks (79 columns); the layers"
	@echo "make bench    time make test against one serial nbval pass, the build; size the site"
	@echo "make pdf      build the book as one PDF, _build/pdf/bnpaper.pdf (needs TeX: README)"
	@echo "make screenshots  every page whole at 1280 and 390 px, _build/screenshots (Chromium)"

# The environment: rebuilt whenever pyproject.toml (the one place pins live) changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bnpaper needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[book,test]"
	@touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

# make pdf: the whole book as one PDF, _build/pdf/bnpaper.pdf, from the same sources: Jupyter
# Book's LaTeX builder (Sphinx warnings are errors), then XeLaTeX through latexmk, which fails
# on an undefined reference or citation and on a character missing from its font (-Werror);
# book/_ext/pdfbook.py has the LaTeX fixes. Its own build tree (_build/pdf-build), so
# it can run beside make book. A copy already in the HTML book (_build/html/bnpaper.pdf,
# linked from every page once the PDF exists at `make book`) is refreshed too. Needs TeX
# (README); .ci/run installs it.
.PHONY: pdf test-pdf
PDF_BUILD := _build/pdf-build
PDF_LATEX := $(PDF_BUILD)/_build/latex
pdf: $(STAMP)
	$(BIN)/jupyter-book build . --builder latex --path-output $(PDF_BUILD) -W -n --keep-going -q
	@mkdir -p _build/pdf
	$(MAKE) --no-print-directory -C $(PDF_LATEX) all-pdf LATEXMKOPTS="-Werror -silent" \
	  LATEXOPTS="-interaction=nonstopmode -halt-on-error -file-line-error" \
	  || { grep -A8 -E '^[^ ]*:[0-9]+: |^! ' $(PDF_LATEX)/bnpaper.log | head -40; \
	       grep -E 'undefined|multiply defined' $(PDF_LATEX)/bnpaper.log | head -20; exit 1; }
	cp $(PDF_LATEX)/bnpaper.pdf _build/pdf/.bnpaper.pdf && mv _build/pdf/.bnpaper.pdf _build/pdf/bnpaper.pdf
	@if [ -f _build/html/bnpaper.pdf ]; then cp _build/pdf/bnpaper.pdf _build/html/.bnpaper.pdf \
	  && mv _build/html/.bnpaper.pdf _build/html/bnpaper.pdf; fi
	@echo "PDF: _build/pdf/bnpaper.pdf ($$(pdfinfo _build/pdf/bnpaper.pdf 2>/dev/null | grep Pages))"

# make test-pdf (part of make test): make pdf, then the PDF read back (tests/pdf). Without TeX
# or poppler-utils, a notice and nothing else (the rest of make test runs as ever).
PDF_TOOLS_MISSING := $(foreach tool,xelatex latexmk pdftotext pdffonts pdfinfo,$(if $(shell command -v $(tool)),,$(tool)))
test-pdf: $(STAMP)
ifneq ($(strip $(PDF_TOOLS_MISSING)),)
	@echo "################################################################################"
	@echo "#  PDF TESTS DID NOT RUN: TeX was not found. Missing: $(strip $(PDF_TOOLS_MISSING))"
	@echo "#  Install Debian's TeX packages (README, The PDF edition; .ci/run does it),    #"
	@echo "#  then run make test again.                                                    #"
	@echo "################################################################################"
else
	$(BIN)/python -m pytest -p no:xdist -m pdf tests/pdf
endif

# make test: every check, as separate ordinary pytest (and tool) runs side by side on two job
# slots; each prints its report when it ends (GNU make >= 4: --output-sync).
#   test-site              the book build, then its HTML: links, Nu HTML Checker, Chromium
#   test-notebooks-binder  nbval over book/ in the Binder environment (.venv-binder), under
#                          the nearest older CPU level than this host's (tests/portability.py)
#   test-notebooks-other   nbval over book/ in .venv, under the level below that
#   test-units             the unit tests
#   test-lint, test-deps   ruff (notebooks at 79 columns); every import declared (deptry)
#   test-pdf               make pdf, then the PDF read back (tests/pdf); a notice without TeX
# BNPAPER_HOST_LEVEL=avx2 (or avx) makes this machine act as that older host for the whole run.
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)
JAVA ?= $(shell command -v java)
export CHROMIUM
JOBS ?= auto
PORTABILITY := $(BIN)/python -m tests.portability
# The single-threaded parts first (the PDF's LaTeX runs, the book build and the browser, the
# unit tests), then the notebook passes, which run on every core (pytest-xdist) and so end the
# run without a one-core tail. Inside make test the unit tests run in one process
# (UNITS_IN_TEST): the parts beside them already keep both cores busy, and a second worker
# would only repeat the collection, the imports and the JAX programs' loading (about 20
# CPU-s). Alone, `make test-units` spreads them over the cores (UNITS_ARGS).
# The checks added with the PDF edition and the explorer (the PDF, the explorer's browser
# tests, the figures' OCR) are timed on their own rows of the README's speed table; `make bench`
# holds the rest (make test WITHOUT="pdf explorer ocr") to the 3 x guard. WITHOUT leaves any
# of the three out of a run.
WITHOUT ?=
SEPARATELY_TIMED := pdf explorer ocr
ifneq ($(filter-out $(SEPARATELY_TIMED),$(WITHOUT)),)
$(error WITHOUT may name only $(SEPARATELY_TIMED), not: $(filter-out $(SEPARATELY_TIMED),$(WITHOUT)))
endif
TEST_PARTS := $(if $(filter pdf,$(WITHOUT)),,test-pdf) test-site test-units \
	test-notebooks-binder test-notebooks-other test-lint test-deps

ifneq ($(filter output-sync,$(.FEATURES)),)
SIDE_BY_SIDE := -j2 --output-sync=target
else
SIDE_BY_SIDE :=
endif
UNITS_ARGS ?= -n $(JOBS) --dist loadgroup
UNITS_IN_TEST ?= $(if $(SIDE_BY_SIDE),-p no:xdist,$(UNITS_ARGS))

test: $(STAMP)
ifeq ($(SIDE_BY_SIDE),)
	@echo "################################################################################"
	@echo "#  GNU make >= 4 not found ($(MAKE_VERSION)): the checks run one after the other, #"
	@echo "#  about twice as long. Install GNU make 4 (e.g. brew install make: gmake test). #"
	@echo "################################################################################"
endif
	$(MAKE) --no-print-directory $(SIDE_BY_SIDE) -k $(TEST_PARTS) UNITS_ARGS="$(UNITS_IN_TEST)"

NBVAL_ARGS := -n $(JOBS) --dist loadfile book

test-notebooks-binder: $(STAMP)
	$(PORTABILITY) run binder $(NBVAL_ARGS)

test-notebooks-other: $(STAMP)
	$(PORTABILITY) run other $(NBVAL_ARGS)

test-units: $(STAMP)
	$(PORTABILITY) run units $(UNITS_ARGS)

test-lint: lint

test-deps: $(STAMP)
	$(BIN)/deptry .
	$(BIN)/deptry src book --extend-exclude book/_ext --optional-dependencies-dev-groups book,test

# The probe test (a notebook whose outputs depend on the CPU) as each host level this machine
# can act as: here AVX-512, AVX2, AVX, and SSE4.2 (no older level, as on a host that is not
# x86-64: one pass in its own kernels). Not part of make test.
test-hosts: $(STAMP)
	for level in $$($(PORTABILITY) levels); do \
	  BNPAPER_HOST_LEVEL=$$level $(PORTABILITY) run units -p no:xdist -q \
	    tests/test_portability.py || exit 1; done

# Without Java the HTML validation is left out, without Chromium every browser test, without
# tesseract the figures' OCR (marks set in tests/site/conftest.py), each with a notice; the
# other site tests still run.
TESSERACT ?= $(shell command -v tesseract)
OCR_RUNS := $(if $(filter ocr,$(WITHOUT)),,$(strip $(TESSERACT)))
SITE_MARK := site$(if $(strip $(JAVA)),, and not java)$(if $(strip $(CHROMIUM)),, and not browser)$(if \
	$(OCR_RUNS),, and not tesseract)
SITE_FILES := tests/site $(if $(filter explorer,$(WITHOUT)),--ignore=tests/site/test_explorer.py)

# The build inside this part's own recipe, not as a prerequisite: make -j2 gives a
# prerequisite's slot, once it is done, to the next part in line (a notebook pass), and the
# long, partly single-threaded browser half would then start last and end alone.
test-site: $(STAMP)
	@$(MAKE) --no-print-directory book
ifeq ($(strip $(JAVA)),)
	@echo "################################################################################"
	@echo "#  HTML VALIDATION DID NOT RUN: Java was not found (the Nu HTML Checker needs   #"
	@echo "#  it). Install it (sudo apt-get install default-jre-headless), then run make   #"
	@echo "#  test again.                                                                  #"
	@echo "################################################################################"
endif
ifeq ($(strip $(CHROMIUM)),)
	@echo "################################################################################"
	@echo "#  BROWSER TESTS DID NOT RUN: Chromium was not found.                           #"
	@echo "#  Install Debian's package (sudo apt-get install chromium) or set              #"
	@echo "#  CHROMIUM=/path/to/chromium, then run make test again.                        #"
	@echo "################################################################################"
endif
ifeq ($(strip $(TESSERACT))$(filter ocr,$(WITHOUT)),)
	@echo "################################################################################"
	@echo "#  FIGURE OCR DID NOT RUN: tesseract was not found. Install Debian's packages    #"
	@echo "#  (sudo apt-get install tesseract-ocr tesseract-ocr-eng), then run make test    #"
	@echo "#  again.                                                                       #"
	@echo "################################################################################"
endif
	$(BIN)/python -m pytest -m '$(SITE_MARK)' $(SITE_FILES)

# The separately timed browser checks alone (make bench times each; make test runs both
# inside test-site).
.PHONY: test-explorer test-ocr
test-explorer: book
	$(BIN)/python -m pytest -m site tests/site/test_explorer.py
test-ocr: book
	$(BIN)/python -m pytest -m 'site and tesseract' tests/site

# Full-page screenshots of every page at 1280 and 390 px into _build/screenshots, for a person
# to look at (tests/site/screenshots.py; not part of make test, whose reader's tests measure
# the same pages at the same widths).
.PHONY: screenshots
screenshots: book
	$(BIN)/python -m tests.site.screenshots

# `make execute NB=relu` re-executes book/relu.ipynb only.
NB ?= *
execute: $(STAMP)
	cd book && for nb in $(NB).ipynb; do echo "executing $$nb"; \
	  ../$(BIN)/jupyter-execute --inplace --timeout=600 "$$nb" || exit 1; done
	$(BIN)/python tests/tidy_notebooks.py book/$(NB).ipynb  # no timestamps, stable streams

# ruff over the code; the notebooks' code at 79 columns, so that no code block in the
# rendered book scrolls sideways (its content column shows about 80).
lint: $(STAMP)
	$(BIN)/ruff check src tests conftest.py book/_ext
	$(BIN)/ruff check --line-length 79 book/*.ipynb
	$(BIN)/lint-imports  # the package's layers ([tool.importlinter] in pyproject.toml)

bench: $(STAMP)
	$(BIN)/python tests/bench.py --runs $(or $(RUNS),3)

# Mutation testing of the core modules with mutmut, in a temporary copy (about 20 minutes);
# not part of make test. Prints the score; tests/MUTATION.md lists the survivors.
.PHONY: mutate
mutate: $(STAMP)
	$(BIN)/python tests/mutate.py

clean:
	rm -rf _build
