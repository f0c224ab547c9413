# bnpaper — the two commands a new user needs:
#   make book   build the HTML book into _build/html (Sphinx warnings are errors)
#   make test   run every test: unit tests; strict nbval over every notebook in book/ in the
#               Binder environment and under other CPUs' numeric kernels; the book; the site
# Both create the virtual environment .venv with the pinned versions on first use.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: book test test-units-and-notebooks test-site execute lint bench clean help

help:
	@echo "make book     build the HTML book into _build/html"
	@echo "make test     unit tests, strict nbval (Binder, other CPUs), book, site"
	@echo "make execute  re-execute every notebook in place from a fresh kernel (NB=relu: one)"
	@echo "make lint     ruff over src/ and tests/"
	@echo "make bench    time make test against one serial nbval pass, the build; size the site"

# The environment: rebuilt whenever pyproject.toml (the one place pins live) changes.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bnpaper needs Python >= 3.11, found " + sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[book,test]"
	@touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

# make test: the unit tests and nbval on every core (pytest-xdist; JOBS=0 runs them in one
# process) and, side by side, the book build and the tests of its HTML: internal links and,
# where Chromium is installed, every page in a real browser. Each half prints its report when
# it ends. pyproject.toml's addopts make nbval run each notebook twice: in the Binder
# environment under an AVX2 machine's numeric kernels, and under an AVX-only machine's
# (tests/portability.py); the stored outputs are this machine's own (make execute).
CHROMIUM ?= $(shell command -v chromium || command -v chromium-browser)
export CHROMIUM
JOBS ?= auto

test: $(STAMP)
	$(MAKE) --no-print-directory -j2 -k --output-sync=target test-units-and-notebooks test-site

test-units-and-notebooks: $(STAMP)
	$(BIN)/python -m pytest -n $(JOBS)

test-site: book
ifneq ($(strip $(CHROMIUM)),)
	$(BIN)/python -m pytest -m site tests/site
else
	@echo "################################################################################"
	@echo "#  BROWSER TESTS DID NOT RUN: Chromium was not found.                           #"
	@echo "#  Install Debian's package (sudo apt-get install chromium) or set              #"
	@echo "#  CHROMIUM=/path/to/chromium, then run make test again.                        #"
	@echo "################################################################################"
	$(BIN)/python -m pytest -m site tests/site/test_links.py
endif

# `make execute NB=relu` re-executes book/relu.ipynb only.
NB ?= *
execute: $(STAMP)
	cd book && for nb in $(NB).ipynb; do echo "executing $$nb"; \
	  ../$(BIN)/jupyter-execute --inplace --timeout=600 "$$nb" || exit 1; done
	$(BIN)/python tests/tidy_notebooks.py book/$(NB).ipynb  # no timestamps, stable streams

lint: $(STAMP)
	$(BIN)/ruff check src tests conftest.py

bench: $(STAMP)
	$(BIN)/python tests/bench.py --runs $(or $(RUNS),3)

# Mutation testing of the core modules with mutmut, in a temporary copy (about 20 minutes);
# not part of make test. Prints the score; tests/MUTATION.md lists the survivors.
.PHONY: mutate
mutate: $(STAMP)
	$(BIN)/python tests/mutate.py

clean:
	rm -rf _build
