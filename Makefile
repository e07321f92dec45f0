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

# 模糊测试：对 2022 年内容随机改动 FUZZ_EXAMPLES（默认 5000）次，每次须生成报告或给出带位置的错误
.PHONY: fuzz
fuzz: $(STAMP)
	@FUZZ_EXAMPLES=$(or $(FUZZ_EXAMPLES),5000) $(BIN)/python -m pytest -q tests/test_fuzz.py

schema: $(STAMP)
	@$(BIN)/python -m pipeline schema

template: $(STAMP)
	@$(BIN)/python scripts/build_template.py

# 性能测试：合成 BENCH_N（默认 200）个部门到 build/bench/，结果表写入 build/bench.json
.PHONY: bench
bench: $(STAMP)
	@$(BIN)/python scripts/bench.py

.PHONY: review pdf diff new-year git-setup hooks form summary

# 全部部门的汇总：build/<年度>/汇总.xlsx（含图表）和 汇总.docx（含图）；REGION=重庆市璧山区 指定标题中的地区
summary: $(STAMP)
	@$(BIN)/python -m pipeline summary --year "$(YEAR)" --template "$(TEMPLATE)" $(if $(REGION),--region "$(REGION)",)

form: $(STAMP)
	@$(BIN)/python -m pipeline form --year $(YEAR) $(DEPT_ARG)

review: $(STAMP)
	@$(BIN)/python -m pipeline review --year $(YEAR) $(DEPT_ARG) --template $(TEMPLATE)

pdf: $(STAMP)
	@$(BIN)/python -m pipeline pdf --year $(YEAR) $(DEPT_ARG) --template $(TEMPLATE)

# make diff YEAR=2022 FROM=HEAD~1 [TO=<rev>]（TO 默认为当前工作区）
diff: $(STAMP)
	@test -n "$(FROM)" || { echo "请指定 FROM=<git 版本>，如 make diff YEAR=2022 FROM=HEAD~1"; exit 2; }
	@$(BIN)/python -m pipeline diff --year $(YEAR) --from $(FROM) $(if $(TO),--to $(TO),) $(DEPT_ARG) --template $(TEMPLATE)

# make new-year FROM=2022 TO=2023 [DEPT=…]
new-year: $(STAMP)
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "请指定 FROM 和 TO 年度，如 make new-year FROM=2022 TO=2023"; exit 2; }
	@$(BIN)/python -m pipeline new-year --from $(FROM) --to $(TO) $(DEPT_ARG)

# 一次性设置：git diff 显示 .docx 的文字（见 .gitattributes）
git-setup: $(STAMP)
	@git config diff.docx.textconv "$(BIN)/python -m pipeline text"
	@git config diff.docx.cachetextconv true
	@echo "已设置：git diff 将以文字显示 .docx 的变化。"

# 启用提交前检查（pre-commit）：提交的内容文件有错误时拒绝提交
hooks: $(STAMP)
	@$(BIN)/python -m pre_commit install
	@echo "已启用 pre-commit：提交前自动校验改动的 content/*.yaml。"

$(STAMP): pyproject.toml
	@echo "首次使用：创建 .venv 并安装依赖……"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf build
