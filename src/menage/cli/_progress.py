"""Rich progress columns that count and measure in the user's language.

Rich's own columns write ``65.7/65.7 MB`` and ``4520/9000`` whatever the language; these
write « 65,7/65,7 Mo » and « 4 520/9 000 » in French, through :mod:`menage.i18n`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.progress import ProgressColumn
from rich.text import Text

from menage.i18n import _, format_number, format_size_progress

if TYPE_CHECKING:
    from rich.progress import Task


class SizeColumn(ProgressColumn):
    """Bytes done and to do, in the total's unit: « 65,7/65,7 Mo » (a count instead for a
    task added with ``counting=True``: messages, say)."""

    def render(self, task: Task) -> Text:
        if task.fields.get("counting"):
            return CountColumn().render(task)
        if task.total is None:  # still listing: the description counts the files
            return Text("")
        return Text(format_size_progress(task.completed, task.total), style="progress.download")


class CountColumn(ProgressColumn):
    """Items done and to do: « 4 520/9 000 » (« 4 520 » while the total is unknown)."""

    def render(self, task: Task) -> Text:
        done = format_number(int(task.completed))
        if task.total is None:
            return Text(done, style="progress.download")
        return Text(f"{done}/{format_number(int(task.total))}", style="progress.download")


def counted(label: str, n: int) -> str:
    """A stage and how many it went through so far: « Parcours des fichiers : 4 520 »."""
    return _("{label}: {n}").format(label=label, n=format_number(n))
