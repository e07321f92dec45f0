# 部门整体支出绩效自评报告 — 常用命令（首次使用时自动创建 .venv 并安装依赖）
YEAR ?= 2022
DEPT ?=
TEMPLATE ?= templates/report.docx
PYTHON ?= python3

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEPT_ARG := $(if $(DEPT),--dept $(DEPT),)

.PHONY: report check test schema template clean

report: $(STAMP)
	@$(BIN)/python -m pipeline report --year $(YEAR) $(DEPT_ARG) --template $(TEMPLATE)

check: $(STAMP)
	@$(BIN)/python -m pipeline check --year $(YEAR) $(DEPT_ARG) $(if $(STRICT),--strict,)

test: $(STAMP)
	@$(BIN)/python -m pytest -q

schema: $(STAMP)
	@$(BIN)/python -m pipeline schema

template: $(STAMP)
	@$(BIN)/python scripts/build_template.py

$(STAMP): pyproject.toml
	@echo "首次使用：创建 .venv 并安装依赖……"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf build
