"""``menage mail clean``: which messages a cleanup takes, and where they go.

The messages are read as the analysis reads them (over IMAP: headers and structure
only, through the cache), then selected: ``--newsletters`` (bulk mail: List-Id,
List-Unsubscribe, Precedence, ESP headers), ``--sender`` (an address, or ``@domain``),
``--older-than``, ``--larger``, ``--duplicates`` (same Message-ID and size, or without
one the same header hash and size: the first copy is kept). Given together, the
criteria must all hold. Trash and Junk are never taken, nor the destination.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from menage.i18n import _
from menage.mail.errors import CleanRefused
from menage.mail.imap import ImapOptions, Progress
from menage.mail.model import MessageMeta, MessageRef
from menage.mail.source import ImapSource, parse_source

APART = ("trash", "junk")


@dataclass(frozen=True)
class Criteria:
    newsletters: bool = False
    senders: tuple[str, ...] = ()
    older_than_s: float | None = None
    larger: int | None = None
    duplicates: bool = False

    @property
    def empty(self) -> bool:
        return not (
            self.newsletters
            or self.senders
            or self.older_than_s is not None
            or self.larger is not None
            or self.duplicates
        )


@dataclass
class Target:
    """One message to take: its metadata, why, and a duplicate's kept copy."""

    meta: MessageMeta
    finding: str
    keep: MessageRef | None = None
    #: "imap", "mbox" or "maildir"
    source: str = "imap"
    #: where it is on disk (Maildir file, mbox file); None over IMAP
    path: bytes | None = None
    #: what identifies it there beyond its reference (mbox: the SHA-256 of its bytes)
    extra: dict[str, Any] = field(default_factory=dict)
    keep_extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class MailPlan:
    """What a cleanup would do: the source, its targets, where they go."""

    source: str
    #: "imap" or "local"
    kind: str
    #: the account's connection settings, recorded in each action (no password)
    account: dict[str, Any]
    destination: str | None
    targets: list[Target]
    #: the folders the actions stay in (a local mailbox's root)
    roots: list[bytes] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(t.meta.size for t in self.targets)

    def digest(self) -> str:
        """The same selection of the same messages gives the same digest (a run cut
        short is carried on rather than started again)."""
        text = json.dumps(
            [self.source, self.destination, [t.meta.ref.to_json() for t in self.targets]],
            sort_keys=True,
        )
        return hashlib.sha256(text.encode()).hexdigest()


def _matches(meta: MessageMeta, criteria: Criteria, now: float) -> bool:
    if criteria.newsletters and not meta.bulk:
        return False
    if criteria.senders:
        wanted = {s.lower() for s in criteria.senders}
        domain = "@" + meta.domain
        if meta.sender not in wanted and domain not in wanted:
            return False
    if criteria.older_than_s is not None:
        if meta.timestamp is None or meta.timestamp > now - criteria.older_than_s:
            return False
    return criteria.larger is None or meta.size >= criteria.larger


def _finding(criteria: Criteria) -> str:
    """The finding a message is taken for, named as the measures name them."""
    if criteria.newsletters:
        return "newsletters"
    if criteria.senders:
        return "senders"
    if criteria.older_than_s is not None:
        return "old_mail"
    return "big_attachments"


def select(
    folders: list[tuple[str, str | None, list[MessageMeta]]],
    criteria: Criteria,
    now: float | None = None,
) -> list[Target]:
    """The messages the criteria take, in folder order (Trash and Junk left out)."""
    now = time.time() if now is None else now
    targets: list[Target] = []
    seen: dict[tuple[str, int], MessageRef] = {}
    for _name, role, messages in folders:
        if role in APART:
            continue
        for meta in messages:
            key = (meta.ref.message_id or "hash:" + meta.ref.header_hash, meta.ref.size)
            kept = seen.get(key)
            if kept is None:
                seen[key] = meta.ref
            if criteria.duplicates:
                if kept is None:
                    continue
                filters = criteria.newsletters or criteria.senders or criteria.larger
                if (filters or criteria.older_than_s) and not _matches(meta, criteria, now):
                    continue
                targets.append(Target(meta, "mail_duplicates", keep=kept))
            elif _matches(meta, criteria, now):
                targets.append(Target(meta, _finding(criteria)))
    return targets


def imap_folders(
    source: ImapSource,
    options: ImapOptions,
    prompt: Callable[[str], str] | None,
    wanted: tuple[str, ...],
    archive: str | None,
    progress: Progress | None,
    cleaning: bool = True,
) -> tuple[list[tuple[str, str | None, list[MessageMeta]]], str]:
    from menage.mail.analyse import _choose
    from menage.mail.cache import MailCache
    from menage.mail.imap import ImapReader, close, connect, get_secret, list_folders

    client = connect(source, options, get_secret(source, options.oauth2, prompt))
    cache = MailCache()
    try:
        available = list_folders(client)
        caps = client.capabilities()
        if cleaning and b"MOVE" not in caps and b"UIDPLUS" not in caps:
            raise CleanRefused(
                source=str(source),
                detail=_(
                    "the server offers neither MOVE nor UIDPLUS: removing one message "
                    "would expunge every message marked deleted, so Ménage refuses."
                ),
            )
        trash = next((f.name for f in available if f.role == "trash"), None)
        destination = archive or trash or ""
        if cleaning and not destination:
            raise CleanRefused(
                source=str(source),
                detail=_("the server has no Trash folder: name one with --archive FOLDER."),
            )
        reader = ImapReader(client, source, cache, options, progress)
        read, _measure, _notes = _choose(available, wanted or None, str(source))
        if not cleaning and not wanted:  # Junk too: where spam-looking mail is found
            read += [f for f in available if f.role == "junk" and f not in read]
        found = []
        for folder in read:
            if cleaning and folder.name == destination:
                continue
            _info, messages = reader.read(folder)
            found.append((folder.name, folder.role, messages))
        return found, destination
    finally:
        cache.close()
        close(client)


def plan_imap(
    spec: str,
    criteria: Criteria,
    *,
    options: ImapOptions | None = None,
    prompt: Callable[[str], str] | None = None,
    folders: tuple[str, ...] = (),
    archive: str | None = None,
    progress: Progress | None = None,
    now: float | None = None,
) -> MailPlan:
    source = parse_source(spec)
    assert isinstance(source, ImapSource)
    options = options or ImapOptions()
    read, destination = imap_folders(source, options, prompt, folders, archive, progress)
    account = {
        "source": str(source),
        "insecure": options.insecure,
        "ca_file": str(options.ca_file) if options.ca_file else None,
        "oauth2": options.oauth2,
    }
    return MailPlan(str(source), "imap", account, destination, select(read, criteria, now))


def fingerprint(plan: MailPlan, target: Target) -> str:
    ref = target.meta.ref
    data: dict[str, Any] = {
        "message_id": ref.message_id,
        "size": ref.size,
        "date": ref.date,
        "header_hash": ref.header_hash,
        **target.extra,
    }
    if plan.kind == "imap":
        data.update(plan.account)
    return json.dumps(data, separators=(",", ":"), sort_keys=True)


def keep_of(target: Target) -> bytes | None:
    if target.keep is None:
        return None
    if target.keep_extra.get("path"):
        return os.fsencode(target.keep_extra["path"])
    return json.dumps({**target.keep.to_json(), **target.keep_extra}).encode()


def local_path(path: Path) -> bytes:
    return os.fsencode(path)
