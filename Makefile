# Seq2Seq Lab: `make run` launches the app, `make test` runs the suite.
# Both create the virtual environment (.venv) when it is missing.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: venv run test lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
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

lint: venv
	$(VENV)/bin/ruff check engine s2s_gui tests
	$(VENV)/bin/lint-imports

bench: venv
	$(VENV)/bin/s2s bench
	QT_QPA_PLATFORM=offscreen $(PY) -m s2s_gui.stall_probe
	QT_QPA_PLATFORM=offscreen $(PY) -m s2s_gui.stall_probe --translate
	QT_QPA_PLATFORM=offscreen $(PY) -m s2s_gui.stall_probe --tabs
	QT_QPA_PLATFORM=offscreen $(PY) -m s2s_gui.stall_probe --resize

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache

.PHONY: soak
soak: venv  # 30 minutes of CPU training; RSS must stay flat (SOAK_ARGS="--minutes 5")
	$(PY) -m s2s_gui.soak $(SOAK_ARGS)

# Interface translations: refresh resources/i18n/*.ts from the tr() calls in s2s_gui, then
# compile the .qm files the app loads (both are committed, so a clone runs without Qt tools).
I18N_TS := $(wildcard resources/i18n/seq2seq-lab_*.ts)
LRELEASE = for ts in $(I18N_TS); do \
	$(VENV)/bin/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm || exit 1; done
.PHONY: i18n package
i18n: venv
	$(VENV)/bin/pyside6-lupdate $$(find s2s_gui -name '*.py' | sort) \
		-source-language en -locations none -no-obsolete -ts $(I18N_TS)
	$(LRELEASE)

# One-folder desktop bundle in dist/seq2seq-lab/ (packaging/seq2seq-lab.spec).
package: venv
	$(LRELEASE)
	$(PY) -c 'import PyInstaller' 2>/dev/null || $(PY) -m pip install --quiet pyinstaller
	$(VENV)/bin/pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller \
		packaging/seq2seq-lab.spec
	du -sh dist/seq2seq-lab

# Mutation testing (mutmut, settings in pyproject.toml) of the modules whose maths users
# trust: search, metrics, analysis, the loss, batching, rescoring. Each mutant runs only
# the tests that reach the mutated function. Narrow it with MUTATE, e.g.
# `make mutate MUTATE='engine.metrics.*'`; `mutmut show NAME` shows one survivor.
MUTATE ?= engine.search.* engine.metrics.* engine.analysis.* engine.batching.* \
	engine.rescore.* engine.training.x_sequence_loss* engine.training.x*_SmoothedCrossEntropy* \
	engine.loss.*
.PHONY: mutate
mutate: venv
	QT_QPA_PLATFORM=offscreen $(VENV)/bin/mutmut run $(foreach m,$(MUTATE),'$(m)')
	$(VENV)/bin/mutmut results
	$(VENV)/bin/mutmut export-cicd-stats && cat mutants/mutmut-cicd-stats.json
