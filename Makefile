# Portail Famille — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: demo test install browser e2e-tools migrate seed serve lint format bench check-deploy clean messages

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install --quiet -e ".[test]"
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make demo: install, migrate, seed the demo town and serve it on http://$(HOST):$(PORT) (make demo PORT=8765)
# The seeded Wagtail Site and the printed addresses follow HOST and PORT; so do links in the emails.
demo: install
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 || true
	$(PY) manage.py seed_demo --base-url http://$(HOST):$(PORT)
	PORTAIL_BASE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: install what the suite needs (Python deps, Debian chromium when root, axe-core) and run it all
test: install browser e2e-tools
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0 || true
	$(VENV)/bin/pytest -p no:cacheprovider $(PYTEST_ARGS)

# Debian's chromium for the end-to-end tests: installed with apt when missing and we are root.
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installation de chromium (apt)…"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	      || echo "chromium n'a pas pu être installé : les tests de navigateur seront ignorés (échec sous CI=true)"; \
	  else \
	    echo "chromium absent et pas root : les tests de navigateur seront ignorés (échec sous CI=true)"; \
	  fi; \
	fi

# axe-core from npm, injected into pages by the accessibility checks.
e2e-tools:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
	  if command -v npm >/dev/null; then npm install --no-audit --no-fund --silent; \
	  else echo "npm absent : les contrôles d'accessibilité seront ignorés (échec sous CI=true)"; fi; \
	fi

bench: install
	$(VENV)/bin/pytest tests/benchmarks --benchmark-only -p no:cacheprovider

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The source is French: msgen copies each msgid into its msgstr, so the catalogue is complete and towns can edit it.
messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests
	msgen locale/fr/LC_MESSAGES/django.po -o locale/fr/LC_MESSAGES/django.po
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules

check-deploy: install
	DJANGO_SETTINGS_MODULE=backoffice.settings.production SECRET_KEY=$$(openssl rand -hex 40) \
	  ALLOWED_HOSTS=portail.example.fr $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf var .pytest_cache
