# Every target is a thin wrapper over the package's command line (`course ...`, also
# `python -m course_lib ...`), so everything here works without make too.
#
#   make start      set up, make the self-paced edition, open JupyterLab on your workspace
#                   (another port: make start PORT=8890)
#   make test       set up with the test tools (browser included, where possible) and run every test
#   make view       serve the read-only web view on http://127.0.0.1:8866/ (make view PORT=8870;
#                   EDITION=cohort serves it with no answer key, for a class)
#   make release / autograde / feedback / grades      the instructor's nbgrader steps

PYTHON ?= python3
PORT   ?=
EDITION ?= self-paced
VENV   := .venv
BIN    := $(VENV)/bin
COURSE := $(BIN)/course
PIP    := $(BIN)/python -m pip --quiet --quiet --disable-pip-version-check
export PATH := $(abspath $(BIN)):$(PATH)

.PHONY: setup test-setup start view release autograde feedback grades check lint test browser benchmark clean

# What learning needs (make start); the test tools come on top, only for make test and make lint.
setup: $(VENV)/.installed
test-setup: $(VENV)/.installed-test

$(VENV)/.installed: pyproject.toml
	@echo "Setting up the course in $(VENV) (a few minutes the first time)..."
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) install --upgrade pip
	@$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PIP) install -e ".[test]"
	touch $@

start: setup
	@$(COURSE) start --port $(or $(PORT),8888)

view: setup
	$(COURSE) view --port $(or $(PORT),8866) --edition $(EDITION)

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

test: test-setup browser lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) workspace build grading/gradebook.db grading/grades.csv
	find grading/source grading/release grading/submitted grading/autograded grading/feedback -mindepth 1 -not -name README.md -exec rm -rf {} +
