"""``menage history``: past cleanup runs and what they freed."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from menage.cli._clean import ACTION_LABELS, report_recovered
from menage.cli._options import json_option
from menage.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from rich.console import Console

    from menage.clean import Measures
    from menage.clean.retention import QuarantineState

STATE_LABELS = {
    "done": N_("done"),
    "running": N_("running"),
    "interrupted": N_("interrupted"),
    "undone": N_("undone"),
    "partly-undone": N_("partly undone"),
}


@click.command(
    help=_(
        "List cleanup runs: date, actions, files and bytes freed, and whether they were "
        "undone. With a RUN number, the details by category, finding and action.\n\n"
        "Example:\n\n"
        "    menage history --json"
    ),
    short_help=_("List cleanup runs and what they freed."),
)
@click.argument("run_id", metavar="[RUN]", required=False, type=int)
@json_option()
def history(run_id: int | None, as_json: bool) -> None:
    from menage import config
    from menage.clean import Journal, all_measures, default_journal_path, measures, recover
    from menage.clean.errors import JournalReadOnly, NoSuchRun
    from menage.clean.retention import QuarantineState, quarantine_state
    from menage.cli._common import print_json, stdout_console

    path = default_journal_path()
    found: list[Measures] = []
    unsubscribed = 0
    days = config.load().retention_days
    state = QuarantineState(retention_s=days * 86400)
    if path.exists():
        try:
            journal = Journal(path, lock=False)
        except JournalReadOnly:
            # a read-only data folder: the history can still be read, as it is on disk
            journal = Journal(path, lock=False, read_only=True)
        with journal:
            # settle what a killed command left, unless another one is running right now
            if not journal.read_only and journal.try_lock():
                report_recovered(recover(journal))
            if run_id is not None:
                found = [measures(run_id, journal)]
            else:
                found = all_measures(journal)
            unsubscribed = sum(1 for u in journal.unsubscriptions() if u["status"] == "done")
            state = quarantine_state(journal, days)
    elif run_id is not None:
        raise NoSuchRun(run=run_id)
    if as_json:
        # each run also says what of it still waits in the quarantine (undo can bring it back)
        print_json(
            [{**m.as_dict(), "in_quarantine_bytes": state.by_run.get(m.run_id, 0)} for m in found]
        )
        return
    console = stdout_console()
    if not found:
        console.print(_("No cleanup yet: see `menage plan` and `menage clean`."))
        _unsubscribed(console, unsubscribed)
        return
    if run_id is not None:
        _details(console, found[0])
        return
    _table(console, found, state)
    _unsubscribed(console, unsubscribed)
    _quarantine(console, state)
    from menage.cli._clean import remind_retention

    remind_retention()


def _quarantine(console: Console, state: QuarantineState) -> None:
    """What waits in the quarantine, apart from what purges gave back to the disk."""
    from menage.i18n import format_number, format_size

    console.print(
        ngettext(
            "In the quarantine: {n} item, {size} (undo can bring it back; the disk gets "
            "the space once it is purged).",
            "In the quarantine: {n} items, {size} (undo can bring them back; the disk gets "
            "the space once they are purged).",
            state.items,
        ).format(n=format_number(state.items), size=format_size(state.bytes))
    )
    if state.purged_items:
        console.print(
            ngettext(
                "Freed on disk by purges: {size} ({n} item deleted for good).",
                "Freed on disk by purges: {size} ({n} items deleted for good).",
                state.purged_items,
            ).format(n=format_number(state.purged_items), size=format_size(state.purged_bytes))
        )


def _unsubscribed(console: Console, count: int) -> None:
    if count:
        console.print(
            ngettext("{n} newsletter unsubscribed.", "{n} newsletters unsubscribed.", count).format(
                n=count
            )
        )


def _table(console: Console, found: list[Measures], state: QuarantineState) -> None:
    from rich.table import Table

    from menage.i18n import format_datetime, format_number, format_size

    table = Table()
    for title, justify in (
        (_("Run"), "right"),
        (_("Date"), "left"),
        (_("Command"), "left"),
        (_("State"), "left"),
        (_("Files"), "right"),
        (_("Freed"), "right"),
        (_("In quarantine"), "right"),
        (_("Purged"), "right"),
        (_("Skipped"), "right"),
        (_("Scans"), "left"),
    ):
        table.add_column(title, justify=justify)  # type: ignore[arg-type]
    for m in found:
        table.add_row(
            str(m.run_id),
            format_datetime(m.started, "short"),
            m.command,
            _(STATE_LABELS.get(m.state, m.state)),
            format_number(m.files + m.folders),
            format_size(m.bytes),
            format_size(state.by_run.get(m.run_id, 0)),
            format_size(m.purged_bytes),
            format_number(m.skipped + m.failed),
            f"{m.scan_id or '-'} → {m.scan_after}" if m.scan_after else str(m.scan_id or "-"),
        )
    console.print(table)


def _details(console: Console, m: Measures) -> None:
    from rich.table import Table

    from menage.files.lint import CATEGORY_LABELS
    from menage.findings import all_kinds
    from menage.i18n import format_datetime, format_number, format_size

    console.print(
        _("Run {run} ({command}), {date}: {state}.").format(
            run=m.run_id,
            command=m.command,
            date=format_datetime(m.started, "short"),
            state=_(STATE_LABELS.get(m.state, m.state)),
        )
    )
    console.print(
        _("{files} and {folders} freed, {size}; {skipped}, {failed}, {pending}, {undone}.").format(
            files=ngettext("{n} file", "{n} files", m.files).format(n=format_number(m.files)),
            folders=ngettext("{n} folder", "{n} folders", m.folders).format(
                n=format_number(m.folders)
            ),
            size=format_size(m.bytes),
            skipped=ngettext("{n} skipped", "{n} skipped", m.skipped).format(
                n=format_number(m.skipped)
            ),
            failed=ngettext("{n} failed", "{n} failed", m.failed).format(n=format_number(m.failed)),
            pending=ngettext("{n} not done", "{n} not done", m.pending).format(
                n=format_number(m.pending)
            ),
            undone=ngettext("{n} put back", "{n} put back", m.undone).format(
                n=format_number(m.undone)
            ),
        )
    )
    labels = {
        **{k: _(v) for k, v in CATEGORY_LABELS.items()},
        "folders": _("Folders"),
        **{kind.key: _(kind.label) for kind in all_kinds()},
        **{k: _(v) for k, v in ACTION_LABELS.items()},
    }
    for title, data in (
        (_("By category"), m.by_category),
        (_("By finding"), m.by_finding),
        (_("By action"), m.by_action),
    ):
        if not data:
            continue
        table = Table(title=title, title_justify="left")
        table.add_column("")
        table.add_column(_("Files"), justify="right")
        table.add_column(_("Freed"), justify="right")
        for key, counts in sorted(data.items(), key=lambda kv: -kv[1]["bytes"]):
            table.add_row(
                labels.get(key, key), format_number(counts["files"]), format_size(counts["bytes"])
            )
        console.print(table)
