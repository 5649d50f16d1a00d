# Plenary: `make run` starts a server, `make test` runs every test. Both set everything up:
# run, migrate, demo and organiser install only what the server needs (requirements.txt);
# test, bench, bench-flood and lint add the developer tools (requirements-dev.txt).
# ML=1 (`make run ML=1`): the best suggestion backend too (requirements-ml.txt: the USE +
# multilingual-e5 ensemble, SUGGEST_BACKEND=ensemble); `make test` always includes it.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.installed-dev-$(shell cat requirements-dev.txt requirements-ml.txt | cksum | cut -d' ' -f1)
ML_STAMP  := $(VENV)/.installed-ml-$(shell cat requirements-ml.txt | cksum | cut -d' ' -f1)
ML        ?=
SUGGEST   := $(if $(filter 1,$(ML)),SUGGEST_BACKEND=ensemble,)
FLASK  := ASYNC_MODE=threading $(BIN)/flask --app "app:create_app()"
HOST   ?= 127.0.0.1
PORT   ?= 5000

CATALOGUES := $(wildcard app/translations/*/LC_MESSAGES/messages.po)
COMPILED   := $(CATALOGUES:.po=.mo)

.PHONY: run test lint install install-dev migrate demo organiser clean messages bench bench-flood \
	bench-joins bench-votes

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

# The developer tools on top (requirements-dev.txt starts with -r requirements.txt). A new
# requirements.txt removes this stamp too (above), so they are checked again after it.
$(DEV_STAMP): requirements-dev.txt requirements-ml.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	rm -f $(VENV)/.installed-dev-*
	touch $@

# ML=1: the ensemble's encoder on top of requirements.txt (also part of the developer tools).
$(ML_STAMP): requirements-ml.txt $(STAMP)
	$(BIN)/python -m pip install --quiet -r requirements-ml.txt
	rm -f $(VENV)/.installed-ml-*
	touch $@

# Compiled translation catalogues (English, Spanish, Catalan/Valencian).
%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

install: $(STAMP) $(COMPILED) $(if $(filter 1,$(ML)),$(ML_STAMP),)

install-dev: install $(DEV_STAMP)

# After changing user-facing text: extract it and merge it into every catalogue.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -o app/translations/messages.pot --no-location --project Plenary .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --ignore-obsolete

migrate: install
	$(FLASK) db upgrade

run: migrate
	$(SUGGEST) HOST=$(HOST) PORT=$(PORT) $(BIN)/python wsgi.py

test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The load benchmark (not part of `make test`; ~30 minutes): Plenary against bare
# Flask-SocketIO and Node socket.io baselines, then the hostile-load case (bench/flood.py:
# 1,000 phones with and without 10 flooding clients); writes bench/results/<date>.json and
# flood-<date>.json and appends to docs/PERFORMANCE.md. Iterate with e.g. BENCH_ARGS="--quick"
# or "--sizes 100,1000 --soak 30" (flood.py takes --quick/--write and ignores the others);
# FLOOD_ARGS reach flood.py only, e.g. FLOOD_ARGS="--flooders sync=10 --flood 60".
# `make bench-flood` runs the hostile-load case alone.
BENCH_ARGS ?=
FLOOD_ARGS ?=
# The servers under test run from a venv of requirements.txt alone, as `make run` installs
# them: the developer tools (aiohttp, requests, websocket-client) would otherwise be
# imported by python-engineio's clients into every server (~13 MB of its memory).
SERVE_VENV  := .venv-serve
SERVE_STAMP := $(SERVE_VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
BENCH_ENV   := BENCH_SERVER_PYTHON=$(CURDIR)/$(SERVE_VENV)/bin/python
$(SERVE_STAMP): requirements.txt
	test -x $(SERVE_VENV)/bin/python || $(PYTHON) -m venv $(SERVE_VENV)
	$(SERVE_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SERVE_VENV)/bin/python -m pip install --quiet -r requirements.txt
	rm -f $(SERVE_VENV)/.installed-*
	touch $@

bench/baseline-node/node_modules/.installed: bench/baseline-node/package-lock.json
	cd bench/baseline-node && npm ci --no-audit --no-fund --loglevel=error
	touch $@

bench: install-dev $(SERVE_STAMP) bench/baseline-node/node_modules/.installed
	$(BENCH_ENV) $(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python bench/flood.py $(BENCH_ARGS) $(FLOOD_ARGS)
	$(BIN)/python bench/exports.py --append docs/PERFORMANCE.md \
	  --json bench/results/exports-$(shell date -u +%Y-%m-%dT%H%MZ).json

bench-flood: install-dev $(SERVE_STAMP)
	$(BENCH_ENV) $(BIN)/python bench/flood.py $(BENCH_ARGS) $(FLOOD_ARGS)

# Joins per second (socket + workshop.join), Plenary against bare Flask-SocketIO, median
# of 3 runs of 1,000 (~2 minutes); JOINS_ARGS e.g. "--runs 1 --n 300" or "--append
# docs/PERFORMANCE.md".
JOINS_ARGS ?=
bench-joins: install-dev $(SERVE_STAMP)
	$(BENCH_ENV) $(BIN)/python bench/joins.py $(JOINS_ARGS)

# Bursts of 300 simultaneous votes, Plenary against bare Flask-SocketIO: each burst's acks
# spread and the server's CPU (~2 minutes); VOTES_ARGS e.g. "--n 3000 --bursts 3".
VOTES_ARGS ?=
bench-votes: install-dev $(SERVE_STAMP)
	$(BENCH_ENV) $(BIN)/python bench/votes.py $(VOTES_ARGS)

# FULL=1: a whole conference run to the end (three closed workshops), to try the roadmap.
demo: migrate
	$(FLASK) demo $(if $(filter 1,$(FULL)),--full,)

organiser: migrate
	$(FLASK) create-organiser

# Static checks (ruff; settings in pyproject.toml).
lint: $(DEV_STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) $(SERVE_VENV) .pytest_cache
