"""What ``menage mail clean`` and ``unsubscribe`` read: a plan, or every folder's
messages, from an IMAP account or a mailbox on disk (:mod:`menage.mail.select` and
:mod:`menage.mail.local_select` do each side)."""

from __future__ import annotations

from collections.abc import Callable

from menage.i18n import _
from menage.mail import select as s
from menage.mail.errors import CleanRefused, SourceInvalid
from menage.mail.imap import ImapOptions, Progress
from menage.mail.local_select import local_folders, local_plan
from menage.mail.model import MessageMeta
from menage.mail.source import ImapSource, LocalSource, parse_source


def plan_mail(
    spec: str,
    criteria: s.Criteria,
    *,
    options: ImapOptions | None = None,
    prompt: Callable[[str], str] | None = None,
    folders: tuple[str, ...] = (),
    archive: str | None = None,
    progress: Progress | None = None,
    now: float | None = None,
) -> s.MailPlan:
    """What ``menage mail clean`` would take from SOURCE.

    Raises:
        CleanRefused: nothing selected, no Trash, a server that cannot move safely.
        MailError: the source cannot be read.
    """
    if criteria.empty:
        raise CleanRefused(
            source=spec,
            detail=_(
                "say what to clean: --newsletters, --sender, --older-than, --larger or "
                "--duplicates."
            ),
        )
    source = parse_source(spec)
    if isinstance(source, ImapSource):
        return s.plan_imap(
            spec,
            criteria,
            options=options,
            prompt=prompt,
            folders=folders,
            archive=archive,
            progress=progress,
            now=now,
        )
    assert isinstance(source, LocalSource)
    if archive is not None:
        raise SourceInvalid(source=spec)
    return local_plan(source.path, criteria, folders, now)


def read_folders(
    spec: str,
    *,
    options: ImapOptions | None = None,
    prompt: Callable[[str], str] | None = None,
    progress: Progress | None = None,
) -> list[tuple[str, str | None, list[MessageMeta]]]:
    """Every folder's messages (Junk included), as the analysis reads them."""
    source = parse_source(spec)
    if isinstance(source, ImapSource):
        read, _destination = s.imap_folders(
            source, options or ImapOptions(), prompt, (), None, progress, cleaning=False
        )
        return read
    assert isinstance(source, LocalSource)
    return local_folders(source.path)[0]
