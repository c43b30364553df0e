# The front door: `make run` serves the demo, `make test` runs the suite. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings
# The QR code on every notice points here; follows PORT unless set.
export PUBLIC_BASE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: setup system-deps run test test-browser bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

system-deps:
	bash scripts/system-deps.sh

setup: $(VENV)/.installed system-deps

demo: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo

run: demo
	$(BIN)/python manage.py collectstatic --noinput -v0
	@echo "Serving on http://127.0.0.1:$(PORT)/  (Ctrl-C to stop)"
	PORT=$(PORT) $(BIN)/gunicorn config.wsgi --config config/gunicorn.py

test: setup
	$(BIN)/python -m pytest -m "not browser" $(PYTEST_ARGS)

test-browser: setup
	bash scripts/system-deps.sh browser
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

bench: setup
	$(BIN)/python bench/bench_notices.py
	$(BIN)/python bench/bench_lists.py
	$(BIN)/python bench/bench_duties.py

clean:
	rm -rf $(VENV) staticfiles media db.sqlite3 artifacts
