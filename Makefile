# Every target is a thin wrapper over the package's command line (`course ...`, also
# `python -m course_lib ...`), so everything here works without make too.
#
#   make start      set up, make the self-paced edition, open JupyterLab on your workspace
#                   (another port: make start PORT=8890; in Spanish: make start LANGUAGE=es, kept for next time)
#   make test       set up with the test tools (browser included, where possible) and run every test
#   make unit       the unit tests only, while you work: no server, no nbgrader, no browser (under a minute)
#   make view       serve the read-only web view on http://127.0.0.1:8866/ (make view PORT=8870;
#                   EDITION=cohort serves it with no answer key, for a class)
#   make hub        serve a class on JupyterHub (make hub PORT=8000 ROSTER=class.csv INSTRUCTOR=login; docs/hub.md)
#   make wheel      a wheel with the course inside, for learners without make (pip install it; course start)
#   make release / autograde / feedback / grades      the instructor's nbgrader steps

PYTHON ?= python3
PORT   ?=
EDITION ?= self-paced
# The course's language, only when given on make's command line (make start LANGUAGE=es). LANGUAGE is
# GNU gettext's own "speak this language" variable, so passing it on is harmless, while a desktop
# session's own LANGUAGE (en_US:en) is not a choice. LANG=es works too, as the issue says, but LANG is
# the locale of everything make runs ("es" is no locale: programs would fall back to C), so it is
# taken as the course's language and the locale put back to C.UTF-8.
ifeq ($(origin LANGUAGE),command line)
  COURSE_LANGUAGE := --language $(LANGUAGE)
else ifeq ($(origin LANG),command line)
  COURSE_LANGUAGE := --language $(firstword $(subst _, ,$(subst ., ,$(LANG))))
  override LANG := C.UTF-8
endif
VENV   := .venv
BIN    := $(VENV)/bin
COURSE := $(BIN)/course
PIP    := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup hub-setup test-setup start view hub wheel release autograde feedback grades check readme lint unit test browser benchmark clean

# What learning needs (make start); the test tools come on top, only for make test and make lint.
setup: $(VENV)/.installed
test-setup: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	@echo "Setting up the course in $(VENV) (a few minutes the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install -e .
	@touch $@

hub-setup: $(VENV)/.installed-hub

$(VENV)/.installed-hub: $(VENV)/.installed
	@$(PIP) install -e ".[hub]"
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -e ".[test]"
	touch $@

start: setup
	@$(COURSE) start --port $(or $(PORT),8888) $(COURSE_LANGUAGE)

view: setup
	$(COURSE) view --port $(or $(PORT),8866) --edition $(EDITION)

hub: hub-setup
	$(COURSE) hub --port $(or $(PORT),8000) $(if $(ROSTER),--roster $(ROSTER)) $(if $(INSTRUCTOR),--instructor $(INSTRUCTOR))

wheel: setup
	$(COURSE) wheel

release: setup
	$(COURSE) release

autograde: setup
	$(COURSE) autograde

feedback: setup
	$(COURSE) feedback

grades: setup
	$(COURSE) grades

check: setup
	$(COURSE) check

readme: setup
	$(COURSE) readme

lint: test-setup
	$(BIN)/ruff check .

# Browser tests drive Debian's chromium; the PostgreSQL gradebook test starts Debian's postgresql.
# Installed here when we are root (CI); otherwise install them yourself
# (sudo apt-get install chromium postgresql) or those tests are skipped locally.
browser:
	@if [ ! -x /usr/bin/chromium ] || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql >/dev/null; \
	  else echo "note: chromium or postgresql missing; their tests will be skipped (sudo apt-get install chromium postgresql)"; fi; \
	fi

# Tests that start a server or a kernel, run nbgrader, build the whole release or drive a browser are
# marked slow or browser (tests/conftest.py marks any that use the built course or a browser).
unit: test-setup
	$(BIN)/python -m pytest -m "not slow and not browser" -q

# --durations: the slowest tests, printed at the end (CI runs this)
test: test-setup browser lint
	$(BIN)/python -m pytest --durations=25

clean:
	rm -rf $(VENV) workspace build grading/gradebook.db grading/grades.csv
	find grading/source grading/release grading/submitted grading/autograded grading/feedback -mindepth 1 -not -name README.md -exec rm -rf {} +
