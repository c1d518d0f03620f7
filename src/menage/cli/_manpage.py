"""The manual page, generated from the commands' own help (click's command tree).

``make man`` writes ``build/man/man1/menage.1`` (English) and
``build/man/fr/man1/menage.1`` (French): ``man -l build/man/fr/man1/menage.1`` reads it.
Every command and subcommand gets a section with its usage, help and options, so the
page never drifts from ``menage COMMAND --help``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import click

from menage.i18n import N_, _

#: the sections of the page that do not come from a command's help
_ENVIRONMENT = (
    ("MENAGE_HOME", N_("Folder of the index, the journal and the quarantine.")),
    ("MENAGE_LANG", N_("Language of messages and reports: fr or en.")),
    ("MENAGE_CONFIG", N_("Configuration file to read instead of the usual one.")),
)


def escape(text: str) -> str:
    """Text for roff: backslashes and hyphens escaped, no line read as a request."""
    text = text.replace("\\", "\\e").replace("-", "\\-")
    lines = []
    for line in text.split("\n"):
        if line.startswith((".", "'")):
            line = "\\&" + line
        lines.append(line)
    return "\n".join(lines)


def _paragraphs(text: str) -> Iterator[str]:
    """Click's help text as roff: paragraphs, and indented blocks kept as they are."""
    for block in text.replace("\b\n", "").split("\n\n"):
        if not block.strip():
            continue
        if block.startswith("    ") or "\n    " in block:
            yield ".PP\n.nf\n.RS 4\n" + escape(block.strip("\n")) + "\n.RE\n.fi"
        else:
            yield ".PP\n" + escape(" ".join(block.split()))


def _commands(
    group: click.Group, ctx: click.Context, prefix: str
) -> Iterator[tuple[str, click.Command, click.Context]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is None or command.hidden:
            continue
        full = f"{prefix} {name}"
        sub = click.Context(command, info_name=name, parent=ctx)
        yield full, command, sub
        if isinstance(command, click.Group):
            yield from _commands(command, sub, full)


def _options(command: click.Command, ctx: click.Context) -> Iterator[str]:
    for param in command.get_params(ctx):
        if not isinstance(param, click.Option):
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        names, help_text = record
        yield f".TP\n.B {escape(names)}\n{escape(' '.join(help_text.split()))}"


def manual(cli: click.Group, version: str, today: date | None = None) -> str:
    """The whole page, in the language in use."""
    today = today or date.today()
    ctx = click.Context(cli, info_name="menage")
    out = [
        f'.TH MENAGE 1 "{today.isoformat()}" "menage {escape(version)}" "Ménage"',
        ".SH " + escape(_("NAME")),
        "menage \\- " + escape(" ".join((cli.help or "").split("\n\n")[0].split())),
        ".SH SYNOPSIS",
        ".B menage\n[\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]...",
        ".SH DESCRIPTION",
        *list(_paragraphs(cli.help or ""))[1:],
        ".SH OPTIONS",
        *_options(cli, ctx),
        ".SH " + escape(_("COMMANDS")),
    ]
    for full, command, sub in _commands(cli, ctx, "menage"):
        out.append(f'.SS "{escape(full)}"')
        usage = " ".join(command.collect_usage_pieces(sub))
        out.append(f".B {escape(full)}\n{escape(usage)}")
        out.extend(_paragraphs(command.help or command.short_help or ""))
        out.extend(_options(command, sub))
    out.append(".SH " + escape(_("ENVIRONMENT")))
    for name, text in _ENVIRONMENT:
        out.append(f".TP\n.B {name}\n{escape(_(text))}")
    out.append(".SH " + escape(_("FILES")))
    out.append(
        ".TP\n.I ~/.config/menage/config.toml\n"
        + escape(_("The configuration file (see `menage config --path`)."))
    )
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> None:
    """``python -m menage.cli._manpage OUT LANG``: write the page in that language."""
    args = sys.argv[1:] if argv is None else argv
    target, language = Path(args[0]), args[1]
    from menage import i18n

    i18n.setup(language)
    from menage._version import __version__
    from menage.cli._app import cli

    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(manual(cli, __version__), "utf-8")


if __name__ == "__main__":
    main()
