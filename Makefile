# planwatch: two commands do all set-up — `make report` and `make test`.
# The environment is created from uv.lock with uv (bootstrapped from PyPI into .tools/).
PY ?= python3
UV_VERSION := 0.13.8
VENV := .venv
UV := .tools/bin/uv
BIN := $(VENV)/bin
export UV_PYTHON_DOWNLOADS := never
export UV_COMPILE_BYTECODE := 1
export UV_PROJECT_ENVIRONMENT := $(VENV)
export GX_ANALYTICS_ENABLED := False
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: env report test lab bench browser clean

$(UV):
	$(PY) -m venv .tools
	.tools/bin/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.synced: uv.lock pyproject.toml | $(UV)
	$(UV) sync --frozen --quiet --python $(PY)
	@touch $@

# GX Data Docs assets (Bootstrap 4.3.1, jQuery, … pinned with their sha512 in
# src/planwatch/validate/datadocs.py) from the npm registry, so the Data Docs work offline.
.tools/datadocs-assets/.fetched: src/planwatch/validate/datadocs.py | $(VENV)/.synced
	$(BIN)/python pipelines/datadocs_assets.py
	@$(BIN)/python -c 'import sys; from planwatch.validate.datadocs import assets_present; sys.exit(not assets_present())' && touch $@ || true

# The extractor's hot modules compiled with mypyc (planwatch.native); planwatch uses the build
# only while it matches the sources, and runs as pure Python without one (no C compiler: a warning).
NATIVE_SRC := $(wildcard src/planwatch/parse/*.py) src/planwatch/gazetteer.py src/planwatch/records.py src/planwatch/native.py pipelines/build_native.py
# (done only when planwatch uses the build: without a compiler, the next `make env` tries again)
.tools/native/.built: $(NATIVE_SRC) | $(VENV)/.synced
	$(BIN)/python pipelines/build_native.py
	@$(BIN)/python -c 'import sys; from planwatch import native; sys.exit(not native.compiled())' && touch $@ || true

env: $(VENV)/.synced .tools/datadocs-assets/.fetched .tools/native/.built

report: env
	dvc repro
	@echo
	@echo "Reports:"
	@echo "  $(CURDIR)/reports/index.html"
	@echo "  $(CURDIR)/reports/documents.html"
	@ls reports/regions/*.html | head -20 | sed 's|^|  $(CURDIR)/|'; n=$$(ls reports/regions/*.html | wc -l); [ $$n -le 20 ] || echo "  … and $$((n - 20)) more region pages (all linked from the index)"
	@echo "  $(CURDIR)/reports/validation/index.html"

# Browser tests need Debian's chromium; install it when missing (never Playwright's download).
browser:
	@dpkg -s chromium fonts-noto-cjk >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (apt-get install chromium)"; fi; }

test: env browser
	$(BIN)/python -m pytest

# As root (a container), jupyter refuses to start unless told that it is meant.
LAB_ROOT := $(if $(filter 0,$(shell id -u)),--ServerApp.allow_root=True)

# JupyterLab from the project environment; its "Python 3 (ipykernel)" kernel is that environment
# (installed into the venv, so the notebooks' kernelspec `python3` resolves to it).
lab: env
	$(BIN)/python -m ipykernel install --sys-prefix
	$(BIN)/jupyter lab --ServerApp.root_dir=$(CURDIR) --ServerApp.open_browser=False $(LAB_ROOT) notebooks/explore.ipynb

bench: env
	$(BIN)/python benchmarks/bench_pipeline.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_add_document.py
	$(BIN)/python benchmarks/extraction_quality.py
	$(BIN)/python benchmarks/bench_hostile.py --fuzz 5000

clean:
	rm -rf $(VENV) .tools
