# 部门整体支出绩效自评报告 — 常用命令。运行 make 或 make help 查看命令表。
# 首次使用时自动创建 .venv 并安装依赖。在项目的子文件夹中，用 make -C <项目根目录> <命令>。
#
# 变量只作为数据交给命令行程序，从不经过 shell 解释：下面用 $(value …) 取其原文，
# 以 PR_* 环境变量传给命令，命令中一律写 "$$PR_…"（带引号），由 perfreport 校验
# （年度四位数字、部门为一个文件夹名、输出只写到 build/ 之内）。
# 新增命令：写一条“目标: $(STAMP) ## 中文说明”规则（make help 自动列出），变量照此传递。

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

USER_VARS := YEAR DEPT TEMPLATE FROM TO STRICT BRIEF ALL_OR_NOTHING FUZZ_EXAMPLES FUZZ_MODE NAME FILE PORT HOST REGION
# 变量只能写作 NAME=值。NAME:=… 和 NAME::=… 由 make 自己先展开（其中的 $(shell …) 在这里之前就已执行），
# 拒绝并说明；NAME!=… 同样由 make 执行，无法识别，README 中说明不要这样写。
BY_MAKE = $(and $(filter command line,$(origin $1)),$(filter simple,$(flavor $1)))
$(foreach v,$(USER_VARS),$(if $(call BY_MAKE,$v),$(error 变量请写作 $v=值：$v:= 和 $v::= 由 make 先当作 make 的表达式展开执行，已拒绝)))
export PR_YEAR := $(value YEAR)
export PR_DEPT := $(value DEPT)
export PR_TEMPLATE := $(value TEMPLATE)
export PR_FROM := $(value FROM)
export PR_TO := $(value TO)
export PR_STRICT := $(if $(value STRICT),--strict,)
export PR_BRIEF := $(if $(value BRIEF),--brief,)
export PR_ALL_OR_NOTHING := $(if $(value ALL_OR_NOTHING),--all-or-nothing,)
export PR_FUZZ_EXAMPLES := $(value FUZZ_EXAMPLES)
export PR_FUZZ_MODE := $(value FUZZ_MODE)
export PR_NAME := $(value NAME)
export PR_FILE := $(value FILE)
export PR_PORT := $(value PORT)
export PR_HOST := $(value HOST)
export PR_REGION := $(value REGION)
unexport $(USER_VARS)

RUN := $(BIN)/python -m pipeline
# 每个生成文件的命令都传这四项（空值即默认：最新年度、全部部门、默认模板）
BUILD_ARGS := --year "$$PR_YEAR" --dept "$$PR_DEPT" --template "$$PR_TEMPLATE" $$PR_ALL_OR_NOTHING

.DEFAULT_GOAL := help
.PHONY: help report check review pdf form summary audit fonts diff new-year new-dept import preview schema template test fuzz bench git-setup hooks clean

help: ## 显示本命令表
	@echo "部门整体支出绩效自评报告 — 用法：make <命令> [YEAR=2022] [DEPT=部门]"
	@echo ""
	@awk -F ':.*## ' '/^[a-z][a-z-]*:.*## /{printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo ""
	@echo "变量："
	@echo "  YEAR=2022         年度（默认：content/ 下最新的年度）"
	@echo "  DEPT=bishan-kjj   只处理一个部门（默认：全部部门）"
	@echo "  TEMPLATE=…        Word 模板（默认：templates/report.docx）"
	@echo "  STRICT=1          make check 时警告也按错误处理"
	@echo "  BRIEF=1           make check 只列错误，每个部门一行（错误数、警告数、总分、等级）"
	@echo "  ALL_OR_NOTHING=1  任何一个部门有错误则一个文件也不写（默认：有错误的部门不生成，其他照常）"
	@echo "  FROM=… TO=…       make diff 的两个 git 版本；make new-year 的两个年度"
	@echo "  NAME=…            make new-dept 的部门全称"
	@echo "  FILE=…            make import 的 Word 报告或自评表（.docx、.xlsx、.doc、.xls、.et 等）"
	@echo "  PORT=8000 HOST=…  make preview 的端口和监听地址（默认只允许本机访问）"
	@echo "  REGION=…          make summary 标题中的地区名（默认取各部门全称共同的开头）"
	@echo "  FUZZ_EXAMPLES=…   make fuzz 的随机改动次数（默认 5000）"
	@echo "  FUZZ_MODE=preview make fuzz 只测预览：运行中把内容文件换成链接、管道和设备文件"
	@echo ""
	@echo "退出码：0 完成，1 内容有错误，2 用法或环境问题，3 程序缺陷。"
	@echo "  命令失败时，make 在最后加一行英文：make: *** [Makefile:…: report] Error 1。"
	@echo "  其中 Error 后的数字就是上面的退出码；make 自己总以 2 退出。"
	@echo "  脚本和 Windows 请直接运行 perfreport <命令>（见 README“不用 make”），退出码即 0/1/2/3。"

report: $(STAMP) ## 生成 Word 报告 build/<年度>/<部门>.docx
	@$(RUN) report $(BUILD_ARGS)

check: $(STAMP) ## 校验内容，列出全部错误和警告，给出总分和等级
	@$(RUN) check --year "$$PR_YEAR" --dept "$$PR_DEPT" $$PR_STRICT $$PR_BRIEF

review: $(STAMP) ## 生成报告及 Markdown 审阅稿 build/<年度>/<部门>.md
	@$(RUN) review $(BUILD_ARGS)

pdf: $(STAMP) ## 生成审阅者打印的全部 PDF：报告、自评表，不写 DEPT 时还有汇总说明和汇总表（需要 LibreOffice）
	@# 有部门未完成（退出码 1）时汇总照样生成（列为“未完成”）；退出码取两步中较大的
	@rc=0; $(RUN) pdf $(BUILD_ARGS) || rc=$$?; \
	if [ -z "$$PR_DEPT" ] && [ $$rc -le 1 ]; then \
	  $(RUN) summary --year "$$PR_YEAR" --template "$$PR_TEMPLATE" --region "$$PR_REGION" --pdf $$PR_ALL_OR_NOTHING || { s=$$?; [ $$s -gt $$rc ] && rc=$$s; }; \
	fi; exit $$rc

form: $(STAMP) ## 生成自评表 build/<年度>/<部门>-自评表.xlsx 和 .docx
	@$(RUN) form --year "$$PR_YEAR" --dept "$$PR_DEPT" $$PR_ALL_OR_NOTHING

summary: $(STAMP) ## 全部部门的汇总 build/<年度>/汇总.xlsx 和 汇总.docx（REGION=地区名）
	@$(RUN) summary --year "$$PR_YEAR" --template "$$PR_TEMPLATE" --region "$$PR_REGION" $$PR_ALL_OR_NOTHING

audit: $(STAMP) ## 审核：各部门的审核意见 build/<年度>/审核意见.xlsx 及 <部门>-审核意见.docx（DEPT=… 只审核一个部门）
	@$(RUN) audit --year "$$PR_YEAR" --dept "$$PR_DEPT" --template "$$PR_TEMPLATE"

diff: $(STAMP) ## 比较两个版本对报告的影响：make diff FROM=HEAD~1 [TO=<版本>]
	@test -n "$$PR_FROM" || { echo "请指定 FROM=<git 版本>，如 make diff FROM=HEAD~1" >&2; exit 2; }
	@$(RUN) diff --year "$$PR_YEAR" --from "$$PR_FROM" --to "$$PR_TO" --template "$$PR_TEMPLATE"

new-dept: $(STAMP) ## 为新部门生成内容文件：make new-dept DEPT=<标识> NAME=<部门全称> [YEAR=…]
	@test -n "$$PR_DEPT" -a -n "$$PR_NAME" || { echo "请指定 DEPT 和 NAME，如 make new-dept DEPT=bishan-kjj NAME=重庆市璧山区科学技术局" >&2; exit 2; }
	@$(RUN) new-dept --dept "$$PR_DEPT" --name "$$PR_NAME" --year "$$PR_YEAR"

new-year: $(STAMP) ## 由上一年度内容生成新年度：make new-year FROM=2022 TO=2023
	@test -n "$$PR_FROM" -a -n "$$PR_TO" || { echo "请指定 FROM 和 TO 年度，如 make new-year FROM=2022 TO=2023" >&2; exit 2; }
	@$(RUN) new-year --from "$$PR_FROM" --to "$$PR_TO" --dept "$$PR_DEPT"

schema: $(STAMP) ## 由模型重新生成 schema/report.schema.json
	@$(RUN) schema

template: $(STAMP) ## 重新生成 Word 模板 templates/report.docx 和自评表 templates/form.docx
	@$(BIN)/python scripts/build_template.py

test: $(STAMP) ## 运行全部测试
	@$(BIN)/python -m pytest -q

# 模糊测试：对 2022 年内容随机改动 FUZZ_EXAMPLES（默认 5000）次，每次须生成报告或给出带位置的错误；
# FUZZ_MODE=preview 只运行预览一项：预览运行时把内容文件反复换成链接、管道和设备文件
fuzz: $(STAMP) ## 模糊测试（FUZZ_EXAMPLES=5000；FUZZ_MODE=preview 只测预览）
	@case "$${PR_FUZZ_EXAMPLES:-5000}" in *[!0-9]*) echo "FUZZ_EXAMPLES 应为正整数" >&2; exit 2;; esac; \
	case "$$PR_FUZZ_MODE" in ""|all) k="";; preview) k="preview";; *) echo "FUZZ_MODE 应为 preview 或不写" >&2; exit 2;; esac; \
	FUZZ_EXAMPLES="$${PR_FUZZ_EXAMPLES:-5000}" $(BIN)/python -m pytest -q tests/test_fuzz.py $${k:+-k "$$k"}

# 性能测试：合成 BENCH_N（默认 200）个部门到 build/bench/，结果表写入 build/bench.json
bench: $(STAMP) ## 性能测试，结果写入 build/bench.json
	@$(BIN)/python scripts/bench.py

# 取得 PDF 用的开源字体（Fandol 仿宋/宋/黑/楷）到 .fonts/：apt-get download，不安装
fonts: $(STAMP) ## 取得 PDF 用的开源字体（Fandol）到 .fonts/
	@$(RUN) fonts

preview: $(STAMP) ## 浏览器预览，保存后自动更新：make preview [DEPT=…] [PORT=8000] [HOST=…]
	@$(RUN) preview --year "$$PR_YEAR" --dept "$$PR_DEPT" --template "$$PR_TEMPLATE" --port "$${PR_PORT:-8000}" --host "$$PR_HOST"

import: $(STAMP) ## 导入上一年度的 Word 报告或自评表：make import FILE=<报告.docx或自评表.xlsx> DEPT=<标识> YEAR=<年度>
	@test -n "$$PR_FILE" -a -n "$$PR_DEPT" -a -n "$$PR_YEAR" || { echo "请指定 FILE、DEPT 和 YEAR，如 make import FILE=2022年报告.docx DEPT=bishan-kjj YEAR=2022" >&2; exit 2; }
	@$(RUN) import "$$PR_FILE" --dept "$$PR_DEPT" --year "$$PR_YEAR"

# 一次性设置：git diff 显示 .docx 的文字（见 .gitattributes）
git-setup: $(STAMP) ## 设置 git diff 以文字显示 .docx 的变化
	@git config diff.docx.textconv "$(BIN)/python -m pipeline text"
	@git config diff.docx.cachetextconv true
	@echo "已设置：git diff 将以文字显示 .docx 的变化。"

# 启用提交前检查（pre-commit）：提交的内容文件有错误时拒绝提交
hooks: $(STAMP) ## 启用提交前检查：内容有错误时拒绝提交
	@$(BIN)/python -m pre_commit install > /dev/null
	@echo "已启用 pre-commit：提交前自动校验改动的 content/*.yaml。"

clean: ## 删除 build/
	rm -rf build

# 首次使用：安装的输出写入 .venv/install.log，只在失败时显示（pip 的错误原样给出）
$(STAMP): pyproject.toml
	@echo "首次使用：正在创建 .venv 并安装依赖（约一分钟）……"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --disable-pip-version-check -e '.[test]' > $(VENV)/install.log 2>&1 \
		|| { cat $(VENV)/install.log >&2; echo "安装依赖失败：见上方 pip 的输出（也保存在 $(VENV)/install.log）。" >&2; exit 1; }
	@touch $(STAMP)

# 文件不由规则生成：不要让下面的“其他目标”规则去找它们
Makefile pyproject.toml: ;

# 拼错的命令：给出最接近的命令（make reprot → report），并指向 make help，而不是 make 的英文报错
%:
	@printf '没有“%s”这个命令。' '$(subst ','\'',$@)' >&2; \
	{ PR_TARGET='$(subst ','\'',$@)' $(PYTHON) -c 'import difflib, os, re, sys; names = re.findall(r"^([a-z][a-z-]*):.*## ", open(sys.argv[1], encoding="utf-8").read(), re.M); near = difflib.get_close_matches(os.environ["PR_TARGET"], names, n=1, cutoff=0.6); near and print("是否应为 make " + near[0] + "？", end="")' '$(firstword $(MAKEFILE_LIST))' 2>/dev/null; } >&2; \
	printf '运行 make help 查看可用的命令。\n' >&2; exit 2
