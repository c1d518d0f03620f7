# Ménage: `make run` tries it on a generated sample folder; `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# uv, which installs the locked environment, lives in a venv of its own: `uv sync`
# makes .venv exactly what uv.lock says, and would remove itself from there.
TOOLS ?= .tools
UV := $(TOOLS)/bin/uv
SAMPLE ?= build/sample
# --durations: the slowest tests named in every run, to keep the suite under 15 minutes;
# worksteal: an idle worker takes tests queued for the other, so the run does not end on
# one worker finishing the long crash and browser tests alone
PYTEST_ARGS ?= -n 2 --dist worksteal --durations=30
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run serve test venv lock fresh-check system-deps lint typecheck pytest bench i18n man clean

$(UV): scripts/uv-requirements.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes --no-deps \
		-r scripts/uv-requirements.txt
	touch $@

# --locked: fail rather than install anything that uv.lock does not name. The editable
# install builds the native core (rust/, by maturin): a change there builds it again.
# --compile-bytecode: the dependencies' .pyc written once, as pip does, so that a shell
# with PYTHONDONTWRITEBYTECODE does not compile them again at every command (0.2 s).
RUST_SOURCES := rust/Cargo.toml rust/Cargo.lock $(wildcard rust/src/*.rs)
$(BIN)/.installed: pyproject.toml uv.lock $(UV) $(RUST_SOURCES)
	$(UV) sync --locked --extra platform --compile-bytecode --quiet
	touch $@

venv: $(BIN)/.installed

## lock: resolve the newest allowed versions into uv.lock (on purpose, then commit it)
lock: $(UV)
	$(UV) lock --upgrade
	@echo "uv.lock updated: run make i18n (a new click may bring new messages), then make test."

## fresh-check: clone the committed tree into an empty folder, run `make run` and
##              `make test` there with empty package caches (.ci/run does it after make test)
fresh-check:
	@scripts/fresh-check.sh

## run: make a sample folder, scan it, write build/report.html
run: venv
	$(BIN)/menage demo-data $(SAMPLE) --force
	$(BIN)/menage scan $(SAMPLE) --html build/report.html
	$(BIN)/menage serve --demo --setup-only

## serve: run the campaign platform with its demo on http://127.0.0.1:8000/
serve: venv
	$(BIN)/menage serve --demo

## system-deps: what the test suite needs from the system (installed when possible)
system-deps:
	@scripts/system-deps.sh

lint: venv
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts

typecheck: venv
	$(BIN)/mypy

## man: the manual page from the commands' help (English, and French under fr/)
man: venv
	$(BIN)/python -m menage.cli._manpage build/man/man1/menage.1 en
	$(BIN)/python -m menage.cli._manpage build/man/fr/man1/menage.1 fr
	@echo "read it with: man -l build/man/fr/man1/menage.1"

# pytest exits 5 when it collected nothing: that must fail loudly, not pass quietly.
# The platform's tests run a second time on a throwaway PostgreSQL cluster they start
# themselves (the browser tests, which do not depend on the database, run once).
pytest: venv
	@$(BIN)/python -m pytest $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no test: failing." >&2; exit 1; fi; \
	[ $$rc -eq 0 ] || exit $$rc; \
	$(BIN)/python -m pytest $(PYTEST_ARGS) tests/platform -m "not browser" --platform-db=postgresql

## test: set up, then lint, type-check and run the whole suite
test: venv system-deps
	$(MAKE) lint typecheck pytest

## bench: the duplicate finders side by side on the 200,000-file corpus (see bench/README.md),
##        fclones built by cargo into bench/tools;
##        BENCH_ARGS="--million" for the memory check on 1,000,000 files, --help for the rest.
##        The peers, strace and GNU time come from Debian (installed here when run as root).
BENCH_COMMANDS := jdupes rdfind fdupes rmlint duff strace
# fclones, the fastest maintained Rust peer, is not in Debian 12: cargo builds it into
# bench/tools (git-ignored, never committed)
FCLONES := bench/tools/bin/fclones
$(FCLONES):
	cargo install fclones --version 0.35.0 --locked --root bench/tools --quiet \
		|| echo "cargo install fclones failed: the bench leaves fclones out." >&2

bench: venv $(FCLONES)
	@missing=""; \
	for c in $(BENCH_COMMANDS); do command -v $$c >/dev/null 2>&1 || missing="$$missing $$c"; done; \
	[ -x /usr/bin/time ] || missing="$$missing time"; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing from Debian:$$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends $$missing >/dev/null \
			|| echo "apt-get failed: the bench leaves out what is missing." >&2; \
	fi
	$(BIN)/python bench/run_duplicates.py $(BENCH_ARGS)

## i18n: extract, update and compile the translations
i18n: venv
	$(BIN)/python scripts/i18n.py
	cd src/menage/platform && DJANGO_SETTINGS_MODULE=menage.platform.settings.test \
		$(CURDIR)/$(BIN)/python -m django makemessages -l fr --no-location --ignore 'migrations/*' \
		&& sed -i '/^"POT-Creation-Date/d' locale/fr/LC_MESSAGES/django.po \
		&& $(CURDIR)/$(BIN)/python -m django compilemessages -l fr

clean:
	rm -rf $(VENV) $(TOOLS) build .mypy_cache .ruff_cache .pytest_cache
