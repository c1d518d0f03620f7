"""Placeholders in the help (``--min-size SIZE``) in the user's language.

Click builds them from each option's type (``INTEGER RANGE``) or from the names we
give (``RULE``), in English. One pass over the commands, when they are registered,
puts every placeholder through the catalogue, so that no command has to remember it.
"""

from __future__ import annotations

import re
from typing import Any

import click

from menage.i18n import N_, _, language

#: the placeholders we name ourselves, and those click derives from a type's name
_NAMED = {
    "RULE": N_("RULE"),
    "GLOB": N_("GLOB"),
    "SIZE": N_("SIZE"),
    "AGE": N_("AGE"),
    "DURATION": N_("DURATION"),
    "DEVICE": N_("DEVICE"),
    "DEVICE=N": N_("DEVICE=N"),
    "FOLDER": N_("FOLDER"),
    "FIELD=HEADER": N_("FIELD=HEADER"),
    "WORD=TYPE": N_("WORD=TYPE"),
    "[RUN]": N_("[RUN]"),
    "[SCAN]": N_("[SCAN]"),
    "BEFORE AFTER": N_("BEFORE AFTER"),
    "INTEGER": N_("INTEGER"),
    "INTEGER RANGE": N_("INTEGER"),
    "FLOAT": N_("NUMBER"),
    "FLOAT RANGE": N_("NUMBER"),
    "TEXT": N_("TEXT"),
    "PATH": N_("PATH"),
    "FILE": N_("FILE"),
    "DIRECTORY": N_("FOLDER"),
    "FILENAME": N_("FILE"),
    "DATE": N_("DATE"),
    "URL": N_("URL"),
    "CODE": N_("CODE"),
    "SOURCE": N_("SOURCE"),
    "PATHS": N_("PATH"),
    "PLAN_FILE": N_("PLAN"),
}


class _HelpFormatter(click.HelpFormatter):
    """Click joins an option's extras with "; " (``[default: 20; x>=0]``): French puts a
    narrow no-break space before the semicolon."""

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        if language() == "fr":
            rows = [(term, _french_extras(text)) for term, text in rows]
        super().write_dl(rows, col_max, col_spacing)


def _french_extras(text: str) -> str:
    """``[default: 20; x>=0]`` as French writes it: « [par défaut : 20 ; 0 ou plus] »."""
    text = _EXTRAS_SEMICOLON.sub("\u202f; ", text)
    for pattern, french in _RANGES:
        text = pattern.sub(french, text)
    return text


#: click's ranges (``x>=0``, ``0<=x<=100``) in words
_RANGES = (
    (re.compile(r"\b(-?[\d.]+)<=x<=(-?[\d.]+)(?=[;\]])"), "de \\1 à\u00a0\\2"),
    (re.compile(r"\bx>=(-?[\d.]+)(?=[;\]])"), "\\1\u00a0ou plus"),
    (re.compile(r"\bx>(-?[\d.]+)(?=[;\]])"), "plus de\u00a0\\1"),
    (re.compile(r"\bx<=(-?[\d.]+)(?=[;\]])"), "\\1\u00a0au plus"),
)


_EXTRAS_SEMICOLON = re.compile(r"(?<!\u202f); (?=[^\[\]]*\]$)")


class _Context(click.Context):
    formatter_class = _HelpFormatter


def localise(command: click.Command) -> None:
    """Translate the placeholders of ``command`` and of its subcommands."""
    command.context_class = _Context
    command.options_metavar = _("[OPTIONS]")
    if isinstance(command, click.Group):
        command.subcommand_metavar = _("COMMAND [ARGS]...")
        for sub in command.commands.values():
            localise(sub)
    ctx = click.Context(command)
    for param in command.params:
        if isinstance(param, click.Option) and (param.is_flag or param.count):
            continue
        if isinstance(param.type, click.Choice) and param.metavar is None:
            continue  # click shows the choices themselves
        shown = param.metavar or param.make_metavar(ctx)
        dots = "..." if shown.endswith("...") else ""
        bare = shown.removesuffix("...")
        optional = bare.startswith("[") and bare.endswith("]") and bare not in _NAMED
        key = bare.strip("[]") if optional else bare
        if key in _NAMED:
            text = _(_NAMED[key])
            param.metavar = (f"[{text}]" if optional else text) + dots
