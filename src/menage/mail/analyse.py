"""``menage mail analyse``: read a source's metadata and turn it into findings.

Over IMAP, Gmail's "All Mail" (SPECIAL-USE ``\\All``) holds every message once whatever
its labels, so when it exists it is analysed instead of the label folders; Trash and
Junk are always counted apart, never in the totals or the findings.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from menage.i18n import _
from menage.mail import findings as f
from menage.mail import reuse
from menage.mail.cache import VERSION as CACHE_VERSION
from menage.mail.cache import MailCache
from menage.mail.errors import ConnectionLost, FolderMissing
from menage.mail.imap import (
    _LOST,
    ImapFolder,
    ImapOptions,
    ImapReader,
    Progress,
    _reason,
    close,
    connect,
    get_secret,
)
from menage.mail.imap_status import folders_and_states, status_items
from menage.mail.local import read_local
from menage.mail.model import FolderInfo, MailProblem, MessageMeta, Unsubscribe
from menage.mail.source import ImapSource, LocalSource, parse_source

DAY = 86_400.0
APART = ("trash", "junk")
#: size bands (bytes) and age bands (days) of the attachment view
SIZE_BANDS = ((1_000_000, "1-5MB"), (5_000_000, "5-20MB"), (20_000_000, "20MB+"))
AGE_BANDS = ((365, "<1y"), (3 * 365, "1-3y"), (10**9, "3y+"))


def _size_band(size: int) -> str | None:
    band = None
    for low, name in SIZE_BANDS:
        if size >= low:
            band = name
    return band


def _age_band(age_days: float) -> str:
    for limit, name in AGE_BANDS:
        if age_days < limit:
            return name
    return AGE_BANDS[-1][1]


def _identity(meta: MessageMeta) -> tuple[str, str]:
    return (meta.ref.folder, meta.ref.key or str(meta.ref.uid))


def build_analysis(
    source: str,
    folders: Sequence[tuple[FolderInfo, list[MessageMeta]]],
    skipped: Sequence[FolderInfo] = (),
    errors: Sequence[MailProblem] = (),
    *,
    older_than_days: int = 730,
    larger: int = 1_000_000,
    now: float | None = None,
    fetched: int = 0,
    notes: Iterable[str] = (),
) -> f.MailAnalysis:
    """Findings from folders' messages (the pure part of the analysis)."""
    now = time.time() if now is None else now
    total, trash, junk = f.Tally(), f.Tally(), f.Tally()
    senders: dict[str, f.Tally] = {}
    sender_domain: dict[str, str] = {}
    domains: dict[str, f.Tally] = defaultdict(f.Tally)
    domain_senders: dict[str, set[str]] = defaultdict(set)
    lists: dict[tuple[str, str | None], f.Tally] = defaultdict(f.Tally)
    list_recent: dict[tuple[str, str | None], list[int]] = defaultdict(lambda: [0, 0])
    list_unsub: dict[tuple[str, str | None], tuple[Unsubscribe, MessageMeta]] = {}
    attachments: list[f.AttachmentFinding] = []
    matrix: dict[str, dict[str, list[int]]] = {
        s: {a: [0, 0] for _, a in AGE_BANDS} for _, s in SIZE_BANDS
    }
    old = f.OldMailFinding(older_than_days)
    by_year: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    first_seen: dict[tuple[str, ...], MessageMeta] = {}
    dup_groups: dict[tuple[str, ...], list[MessageMeta]] = {}
    reclaimable: dict[tuple[str, str], int] = {}
    no_sender = _("(no sender)")
    years: dict[float, str] = {}
    for info, messages in folders:
        if info.role in APART:
            apart = trash if info.role == "trash" else junk
            for meta in messages:
                apart.add(meta.size, meta.seen, meta.timestamp)
            continue
        for meta in messages:
            size, seen, stamp = meta.ref.size, meta.seen, meta.timestamp
            sender = meta.sender or no_sender
            by_sender = senders.get(sender)
            if by_sender is None:  # the domains and the total are summed from the senders
                by_sender = senders[sender] = f.Tally()
                sender_domain[sender] = meta.domain or sender
            by_sender.add(size, seen, stamp)
            age = (now - stamp) / DAY if stamp is not None else None
            if stamp is not None:
                day = stamp // DAY  # the year of each day, worked out once
                year = years.get(day)
                if year is None:
                    year = years[day] = str(datetime.fromtimestamp(stamp, UTC).year)
                counts = by_year[year]
                counts[0] += 1
                counts[1] += size
            if meta.bulk:
                key = (sender, meta.list_id)
                lists[key].add(size, seen, stamp)
                if age is not None and age <= 365:
                    list_recent[key][0] += 1
                    list_recent[key][1] += size
                if meta.unsubscribe and (
                    key not in list_unsub or list_unsub[key][0].one_click is False
                ):
                    list_unsub[key] = (meta.unsubscribe, meta)
                elif key not in list_unsub:
                    list_unsub[key] = (Unsubscribe(), meta)
                reclaimable[_identity(meta)] = size
            if age is not None and age > older_than_days:
                old.messages += 1
                old.bytes += size
                reclaimable[_identity(meta)] = size
            for att in meta.attachments:
                if att.size >= larger:
                    attachments.append(
                        f.AttachmentFinding(
                            meta.ref, att.filename, att.content_type, att.size, stamp
                        )
                    )
                    reclaimable[_identity(meta)] = size
                band = _size_band(att.size)
                if band is not None:
                    cell = matrix[band][_age_band(age if age is not None else 0)]
                    cell[0] += 1
                    cell[1] += att.size
            dup_key: tuple[str, ...] = (
                ("id", meta.ref.message_id)
                if meta.ref.message_id
                else ("hash", meta.ref.header_hash, str(size))
            )
            if dup_key in first_seen:
                dup_groups.setdefault(dup_key, []).append(meta)
                reclaimable[_identity(meta)] = size
            else:
                first_seen[dup_key] = meta
    for sender, tally in senders.items():
        domain = sender_domain[sender]
        domain_senders[domain].add(sender)
        for into in (total, domains[domain]):
            into.merge(tally)
    duplicates = f.DuplicatesFinding(
        [
            f.DuplicateGroup(first_seen[k].ref, [m.ref for m in extra])
            for k, extra in dup_groups.items()
        ]
    )
    ranked = sorted(senders.items(), key=lambda kv: (-kv[1].bytes, -kv[1].messages, kv[0]))
    newsletters = [
        f.NewsletterFinding(
            sender=key[0],
            list_id=key[1],
            tally=tally,
            last_year=list_recent[key][0],
            last_year_bytes=list_recent[key][1],
            unsubscribe=list_unsub[key][0],
            example=list_unsub[key][1].ref,
        )
        for key, tally in lists.items()
    ]
    # unread and still arriving first: that is where unsubscribing helps
    newsletters.sort(key=lambda n: (n.tally.read_ratio, -n.last_year, -n.tally.bytes, n.sender))
    attachments.sort(key=lambda a: (-a.bytes, a.filename))
    all_folders = [info for info, _ in folders] + list(skipped)
    all_folders.sort(key=lambda i: (-i.bytes, i.name))
    return f.MailAnalysis(
        source=source,
        total=total,
        trash=trash,
        junk=junk,
        folders=all_folders,
        senders=[f.SenderFinding(a, a.rpartition("@")[2], t) for a, t in ranked],
        domains=sorted(
            (f.DomainFinding(d, t, len(domain_senders[d])) for d, t in domains.items()),
            key=lambda d: (-d.tally.bytes, d.domain),
        ),
        newsletters=newsletters,
        attachments=attachments,
        attachment_matrix=matrix,
        old=old,
        duplicates=duplicates,
        by_year=dict(sorted(by_year.items())),
        errors=list(errors),
        reclaimable_bytes=sum(reclaimable.values()),
        fetched=fetched,
        generated=now,
        notes=list(notes),
    )


def _choose(
    available: list[ImapFolder], wanted: Sequence[str] | None, source: str
) -> tuple[list[ImapFolder], list[ImapFolder], list[str]]:
    """Folders to read, folders only to measure, and notes."""
    if wanted:
        by_name = {folder.name: folder for folder in available}
        missing = [name for name in wanted if name not in by_name]
        if missing:
            raise FolderMissing(source=source, folder=missing[0])
        chosen = [by_name[name] for name in wanted]
        return chosen, [x for x in available if x not in chosen], []
    # the server's LIST order can change from one run to the next; the findings depend
    # on the order folders are read in (which copy of a duplicate is the first one)
    available = sorted(available, key=lambda x: x.name)
    everything = [x for x in available if x.role == "all"]
    if everything:
        apart = [x for x in available if x.role in APART]
        note = _(
            "Gmail's All Mail holds every message once, whatever its labels: the label "
            "folders are counted there, not again."
        )
        rest = [x for x in available if x not in everything and x not in apart]
        return everything + apart, rest, [note]
    return available, [], []


def analyse_imap(
    source: ImapSource,
    *,
    folders: Sequence[str] | None = None,
    options: ImapOptions | None = None,
    prompt: Callable[[str], str] | None = None,
    progress: Progress | None = None,
    cache_path: Path | None = None,
    older_than_days: int = 730,
    larger: int = 1_000_000,
    now: float | None = None,
) -> f.MailAnalysis:
    """Analyse an IMAP account (see :func:`analyse_source`)."""
    options = options or ImapOptions()
    now = time.time() if now is None else now
    secret = get_secret(source, options.oauth2, prompt)
    client = connect(source, options, secret)
    cache = MailCache(cache_path)
    try:
        reader = ImapReader(client, source, cache, options, progress)
        try:  # the folders and their STATUS in one round trip where the server can
            available, reader.states = folders_and_states(client, status_items(client))
        except _LOST as exc:
            raise ConnectionLost(host=source.host, detail=_reason(exc)) from exc
        read, measure, notes = _choose(available, folders, str(source))
        key = reuse.key(
            str(source),
            [(x.name, x.role) for x in read],
            [(x.name, x.role) for x in measure],
            reader.states,
            {"older_than_days": older_than_days, "larger": larger},
            notes,
            CACHE_VERSION,
        )
        if key is not None:  # every folder as it was last time: the same findings
            stored = cache.result(source.account, key, now)
            reused = None if stored is None else reuse.load(stored, now)
            if reused is not None:
                return reused
        results = [reader.read(folder) for folder in read]
        skipped = []
        for folder in measure:
            status = reader.status(folder.name)
            skipped.append(
                FolderInfo(
                    folder.name,
                    folder.role,
                    status.get(b"MESSAGES", 0),
                    status.get(b"SIZE", 0),
                    analysed=False,
                )
            )
        analysis = build_analysis(
            str(source),
            results,
            skipped,
            (),
            older_than_days=older_than_days,
            larger=larger,
            now=now,
            fetched=reader.fetched,
            notes=notes,
        )
        if key is not None:
            until = reuse.valid_until([m for _, m in results], now, older_than_days)
            cache.store_result(source.account, key, now, until, reuse.dump(analysis))
        return analysis
    finally:
        cache.close()
        close(client)


def analyse_source(
    spec: str,
    *,
    folders: Sequence[str] | None = None,
    older_than_days: int = 730,
    larger: int = 1_000_000,
    options: ImapOptions | None = None,
    prompt: Callable[[str], str] | None = None,
    progress: Progress | None = None,
    cache_path: Path | None = None,
    now: float | None = None,
) -> f.MailAnalysis:
    """Analyse SOURCE (an IMAP URL or a mailbox on disk).

    Raises:
        menage.mail.errors.MailError: the source cannot be read (its subclasses say why).
    """
    source = parse_source(spec)
    if isinstance(source, ImapSource):
        return analyse_imap(
            source,
            folders=folders,
            options=options,
            prompt=prompt,
            progress=progress,
            cache_path=cache_path,
            older_than_days=older_than_days,
            larger=larger,
            now=now,
        )
    assert isinstance(source, LocalSource)
    problems: list[MailProblem] = []
    results = list(read_local(source.path, problems))
    if folders:
        names = {info.name for info, _ in results}
        for name in folders:
            if name not in names:
                raise FolderMissing(source=spec, folder=name)
        results = [r for r in results if r[0].name in folders]
    return build_analysis(
        str(source), results, (), problems, older_than_days=older_than_days, larger=larger, now=now
    )
