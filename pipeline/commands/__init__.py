"""The commands of perfreport, each a room of its own: one module (or package) per command, with
its arguments, its run and its ``COMMAND`` (a module giving several commands, like report.py,
has ``COMMANDS``; a package has it in its ``__init__.py`` or its ``command.py``). cli.py reads
them from here (``registered``) and adds nothing of its own, so a new command is its own module
plus its Makefile line and README row.

A command module stays light to import — every command is imported to list them — so what is
heavy (the recipe, the server, the writers) is imported inside its run. Arguments shared by
several commands (--year, --dept, --content, --out, --template) are in ``options``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import pkgutil
from dataclasses import dataclass
from typing import Callable


@dataclass(frozen=True)
class Command:
    name: str
    help: str  # one line, for the list of commands
    description: str  # the command's own -h
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    order: int  # its place in the list of commands (perfreport -h): the order a user meets them


def registered() -> list[Command]:
    """Every command of the modules and packages here, in their ``order``. A package gives its
    command in its ``__init__.py`` or, failing that, in its ``command`` module."""
    found: list[Command] = []
    for module in pkgutil.iter_modules(__path__):
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        if module.ispkg and not hasattr(loaded, "COMMAND") and not hasattr(loaded, "COMMANDS"):
            if importlib.util.find_spec(f"{loaded.__name__}.command") is None:
                continue
            loaded = importlib.import_module(f"{loaded.__name__}.command")
        found += getattr(loaded, "COMMANDS", [])
        if hasattr(loaded, "COMMAND"):
            found.append(loaded.COMMAND)
    return sorted(found, key=lambda c: c.order)
