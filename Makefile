# Felt: `make run` serves the demo, `make test` runs every test. Both install what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := run

PY := .venv/bin/python
UV := .tools/bin/uv
UV_VERSION := 0.13.9
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PWA_SOURCES := $(shell find pwa/src pwa/public pwa/index.html pwa/vite.config.ts pwa/tsconfig.json -type f 2>/dev/null)
APT_RUN := tesseract-ocr tesseract-ocr-dan tesseract-ocr-eng
APT_TEST := chromium fonts-dejavu-core fonts-liberation  # fonts: the synthetic receipts

.PHONY: run test deps lint typecheck pytest system-deps test-system-deps serve migrate seed clean

## ---- setup ---------------------------------------------------------------
$(UV):
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@touch $@

pwa/node_modules/.installed: pwa/package.json pwa/package-lock.json
	npm ci --prefix pwa --no-audit --no-fund --loglevel=error
	@touch $@

pwa/dist/index.html: pwa/node_modules/.installed $(PWA_SOURCES)
	npm run --prefix pwa --silent build

tests/oidc/node_modules/.installed: tests/oidc/package.json tests/oidc/package-lock.json
	npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error
	@touch $@

# System packages (Debian): installed only when missing, so a second run does nothing.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-deps:
	$(call apt_install,$(APT_RUN))

test-system-deps:
	$(call apt_install,$(APT_RUN) $(APT_TEST))

deps: system-deps .venv/.synced pwa/dist/index.html

## ---- run -----------------------------------------------------------------
migrate: .venv/.synced
	$(PY) -m backend migrate

seed: migrate
	$(PY) -m backend seed

run: deps seed
	FELT_DEMO_LOGIN=1 $(PY) -m backend serve

## ---- test ----------------------------------------------------------------
lint: .venv/.synced
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports --no-cache

typecheck: .venv/.synced pwa/node_modules/.installed
	$(PY) -m mypy
	npm run --prefix pwa --silent typecheck

pytest: deps test-system-deps tests/oidc/node_modules/.installed
	$(PY) -m pytest -q -n auto $(PYTEST_ARGS)

test: lint typecheck pytest

clean:
	rm -rf .venv .tools pwa/node_modules pwa/dist tests/oidc/node_modules
