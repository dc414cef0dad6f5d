# The two commands for a fresh machine: `make book` and `make test`. Each sets itself up.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := book

YEAR ?= 2022
DATA ?= data
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book verify validate test unit nbval lint browser-deps browser bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## make book YEAR=2022 [DATA=data]: execute the notebooks for YEAR and build _build/html (with its PDF)
## Incremental: only notebooks whose source, parameters, data files read or package code changed run
## again (_build/manifest.json); with nothing changed it takes well under a second.
book: $(STAMP) browser-deps
	$(PY) -m factcheck build --year "$(YEAR)" --data "$(DATA)" --jobs $(JOBS)

## make verify YEAR=2022: write _build/verdicts/YEAR.csv
verify: $(STAMP)
	$(PY) -m factcheck verify --year "$(YEAR)" --data "$(DATA)"

validate: $(STAMP)
	$(PY) -m factcheck validate --data "$(DATA)"

lint: $(STAMP)
	$(PY) -m ruff check factcheck tests

unit: $(STAMP)
	$(PY) -m pytest tests

## nbval re-executes the published notebooks and fails on any difference in their outputs.
## One notebook per xdist worker (--dist loadfile keeps a notebook's cells in one kernel, in order).
nbval: $(STAMP)
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg \
		-p no:randomly -q -n $(JOBS) --dist loadfile book/editions book/cross_year.ipynb

## Debian's chromium + fonts-noto-cjk (apt-get, when missing) and axe-core (npm ci): the PDF and browser tests
browser-deps:
	bash .ci/browser-deps

## make browser: the built _build/html in Chromium: pages, charts, network, search, a11y, downloads, weights
browser: $(STAMP) browser-deps
	@test -f _build/html/index.html || { echo "make browser: no _build/html, run make book first" >&2; exit 1; }
	$(PY) -m pytest -m browser -p no:randomly tests/browser

## make test: lint, data validation, unit tests, nbval, the book build, the browser tests
test: $(STAMP)
	$(MAKE) --no-print-directory browser-deps
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory validate
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory book
	$(MAKE) --no-print-directory browser

## make bench: cold build against Jupyter Book's own execution, no-op, one-file change, nbval; _build/bench.json
bench: $(STAMP)
	$(PY) -m factcheck.bench --year "$(YEAR)" --jobs $(JOBS)

clean:
	rm -rf _build
