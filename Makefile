# Seq2Seq Lab: `make run` launches the app, `make test` runs the suite.
# Both create the virtual environment (.venv) when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv run test test-portable lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml setup.py
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	# The CPU build first: a bare `torch` requirement would pull GBs of CUDA wheels.
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(VENV)/bin/s2s-gui

# The engine and the app are tested in separate processes, as they run. (A Qt event loop
# started after hundreds of engine tests in one process once crashed inside Qt's dispatch
# of a timer to Python: most likely PySide6 6.12.0's reference-count bug on Python 3.11,
# which pyproject.toml now keeps out.)
test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --ignore=tests/gui
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/gui

# The engine suites as other x86-64 CPUs run them: PyTorch's and oneDNN's kernels held
# back to AVX2, PyTorch's to no vector extensions, and the bf16 autocast that CPUs with
# AVX512-BF16 or AMX train in (S2S_CPU_BF16, engine/utils.py). Every variant must pass;
# the summary gives each one's result and minutes.
PORTABLE_VARIANTS := \
	"native:" \
	"avx2:ONEDNN_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 S2S_CPU_BF16=0" \
	"default:ATEN_CPU_CAPABILITY=default S2S_CPU_BF16=0" \
	"bf16:S2S_CPU_BF16=1"
test-portable: venv
	@failed=""; summary=""; for v in $(PORTABLE_VARIANTS); do \
		name=$${v%%:*}; vars=$${v#*:}; start=$$(date +%s); \
		echo "== make test-portable: $$name ($${vars:-this CPU as it is}) =="; \
		if env $$vars QT_QPA_PLATFORM=offscreen $(PY) -m pytest --ignore=tests/gui; \
		then result=passed; else result=FAILED; failed="$$failed $$name"; fi; \
		summary="$$summary\n  $$name: $$result in $$(( ($$(date +%s) - start) / 60 )) min"; \
	done; printf "== make test-portable:$$summary\n"; test -z "$$failed"

lint: venv
	$(VENV)/bin/ruff check engine s2s_gui tests tools
	$(VENV)/bin/ruff format --check engine s2s_gui tests tools
	$(VENV)/bin/lint-imports

bench: venv
	$(VENV)/bin/s2s bench
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.stall_probe
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.stall_probe --translate
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.stall_probe --tabs
	QT_QPA_PLATFORM=offscreen $(PY) -m tools.stall_probe --resize

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

.PHONY: soak
soak: venv  # 30 minutes of CPU training; RSS must stay flat (SOAK_ARGS="--minutes 5")
	$(PY) -m tools.soak $(SOAK_ARGS)

# Interface translations: refresh resources/i18n/*.ts from the tr() calls in s2s_gui, then
# compile the .qm files the app loads (both are committed, so a clone runs without Qt tools).
I18N_TS := $(wildcard resources/i18n/seq2seq-lab_*.ts)
LRELEASE = for ts in $(I18N_TS); do \
	$(VENV)/bin/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm || exit 1; done
.PHONY: i18n package
# The config keys' labels and help live in engine.config; lupdate reads them from a
# generated file (engine code must not call Qt's translation macros).
i18n: venv
	mkdir -p build
	$(PY) -m s2s_gui.widgets.config_fields > build/config_texts.py
	$(VENV)/bin/pyside6-lupdate $$(find s2s_gui -name '*.py' | sort) build/config_texts.py \
		-source-language en -locations none -no-obsolete -ts $(I18N_TS)
	$(LRELEASE)

# One-folder desktop bundle in dist/seq2seq-lab/ (packaging/seq2seq-lab.spec).
package: venv
	$(LRELEASE)
	$(PY) -c 'import PyInstaller' 2>/dev/null || $(PY) -m pip install --quiet pyinstaller
	$(PY) -c 'import fontTools' 2>/dev/null || $(PY) -m pip install --quiet fonttools
	$(PY) packaging/cjk_font.py build/fonts
	$(VENV)/bin/pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller \
		packaging/seq2seq-lab.spec
	du -sh dist/seq2seq-lab

# Build the wheel, install it into a fresh venv (its dependencies borrowed from .venv, so
# nothing is downloaded) and start the installed app offscreen: it must find its presets,
# translations, style sheet and icon in the installed package (tests/wheel_check.py).
.PHONY: wheel-check
wheel-check: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m tests.wheel_check

# Mutation testing (mutmut, settings in pyproject.toml) of the modules whose maths users
# trust: search, metrics, analysis, the loss, batching, rescoring. Each mutant runs only
# the tests that reach the mutated function. Narrow it with MUTATE, e.g.
# `make mutate MUTATE='engine.metrics.*'`; `mutmut show NAME` shows one survivor.
MUTATE ?= engine.search.* engine.metrics.* engine.analysis.* engine.batching.* \
	engine.rescore.* engine.loss.*
.PHONY: mutate
mutate: venv
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/mutmut run $(foreach m,$(MUTATE),'$(m)')
	$(VENV)/bin/mutmut results
	$(VENV)/bin/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json

# docs/screenshots/*.png: every view at 1366x768, from two tiny runs and a shapes captioner trained in a temp
# folder (tools/screenshots.py); under Xvfb when it is installed, offscreen Qt otherwise.
.PHONY: screenshots
screenshots: venv
	if command -v xvfb-run >/dev/null; then \
		xvfb-run -a -s "-screen 0 1366x768x24" $(PY) -m tools.screenshots --out docs/screenshots; \
	else QT_QPA_PLATFORM=offscreen $(PY) -m tools.screenshots --out docs/screenshots; fi
