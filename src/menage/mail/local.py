"""Mailboxes on disk: mbox files, Maildir folders (nested), folders of ``.eml`` files.

Each message is read whole (it is on this computer: nothing is transferred) to measure
it and list its attachments; nothing is ever written. Unreadable files, truncated mbox
files and broken MIME are listed as problems and the rest is analysed.
"""

from __future__ import annotations

import email
import mailbox
import os
import stat
from collections.abc import Iterator
from email import policy
from pathlib import Path

from menage.i18n import _
from menage.mail.errors import SourceInvalid
from menage.mail.headers import meta_from_headers
from menage.mail.model import FolderInfo, MailProblem, MessageMeta
from menage.mail.structure import from_message

Folder = tuple[FolderInfo, list[MessageMeta]]
_TRUNCATION = ("CloseBoundaryNotFoundDefect", "StartBoundaryNotFoundDefect")


def _is_maildir(path: Path) -> bool:
    return (path / "cur").is_dir() and (path / "new").is_dir()


def _regular(path: Path) -> bool:
    """A regular file (a FIFO or a device would block or never end)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except OSError:
        return False


def _is_mbox(path: Path) -> bool:
    if not _regular(path):
        return False
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"From "
    except OSError:
        return False


def _meta(
    raw: bytes, folder: str, key: str, seen: bool, mtime: float | None, problems: list[MailProblem]
) -> MessageMeta:
    message = email.message_from_bytes(raw, policy=policy.compat32)
    meta = meta_from_headers(
        message,
        folder=folder,
        size=len(raw),
        seen=seen,
        key=key,
        attachments=from_message(message),
        fallback_time=mtime,
    )
    defects = {type(d).__name__ for part in message.walk() for d in part.defects}
    if defects & set(_TRUNCATION):
        problems.append(
            MailProblem(folder, key, _("the message looks cut short (its MIME parts do not close)"))
        )
    return meta


def read_mbox(path: Path, folder: str, problems: list[MailProblem]) -> Folder:
    messages: list[MessageMeta] = []
    box = mailbox.mbox(path, create=False)
    try:
        for index, key in enumerate(box.iterkeys()):
            raw = box.get_bytes(key)
            status = (box.get_message(key).get("status") or "") + ""
            messages.append(_meta(raw, folder, str(index), "R" in status, None, problems))
    finally:
        box.close()
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) != b"\n":
                problems.append(
                    MailProblem(folder, str(len(messages) - 1), _("the mbox file ends mid-message"))
                )
    size = path.stat().st_size
    return FolderInfo(folder, _role(folder), len(messages), size), messages


def read_maildir(path: Path, folder: str, problems: list[MailProblem]) -> Folder:
    """A Maildir's ``new`` and ``cur`` messages; flags from the ``:2,`` info (S = seen)."""
    messages: list[MessageMeta] = []
    files = sorted(
        (entry for sub in ("new", "cur") for entry in (path / sub).iterdir() if _regular(entry)),
        key=lambda p: p.name,
    )
    for file in files:
        key, _sep, info = file.name.partition(":")
        flags = info[2:] if info.startswith("2,") else ""
        try:
            raw = file.read_bytes()
            mtime = file.stat().st_mtime
        except OSError as exc:
            problems.append(MailProblem(folder, key, exc.strerror or str(exc)))
            continue
        messages.append(_meta(raw, folder, key, "S" in flags, mtime, problems))
    return FolderInfo(folder, _role(folder), len(messages), sum(m.size for m in messages)), messages


def read_eml(files: list[Path], folder: str, root: Path, problems: list[MailProblem]) -> Folder:
    messages: list[MessageMeta] = []
    for file in sorted(files):
        key = file.relative_to(root).as_posix()
        if not _regular(file):
            problems.append(MailProblem(folder, key, _("not a regular file: skipped")))
            continue
        try:
            raw = file.read_bytes()
            mtime = file.stat().st_mtime
        except OSError as exc:
            problems.append(MailProblem(folder, key, exc.strerror or str(exc)))
            continue
        # a file has no read flag: count it as read
        messages.append(_meta(raw, folder, key, True, mtime, problems))
    return FolderInfo(folder, _role(folder), len(messages), sum(m.size for m in messages)), messages


def _role(folder: str) -> str | None:
    from menage.mail.imap import role_of

    return role_of(folder, ())


def _name(path: Path, root: Path) -> str:
    rel = path.relative_to(root).as_posix() if path != root else ""
    return rel or "INBOX"


def read_local(root: Path, problems: list[MailProblem]) -> Iterator[Folder]:
    """Every folder under ``root`` (or the single mbox / .eml file ``root``).

    Raises:
        SourceInvalid: ``root`` holds no mailbox at all.
    """
    found = False
    if root.is_file():
        if root.suffix.lower() == ".eml":
            yield read_eml([root], root.name, root.parent, problems)
            return
        if _is_mbox(root):
            yield read_mbox(root, root.name, problems)
            return
        raise SourceInvalid(source=root)
    for current, dirs, files in os.walk(root, onerror=lambda e: _walk_error(e, root, problems)):
        folder = Path(current)
        dirs.sort()
        if _is_maildir(folder):
            found = True
            # Maildir++: ".Sub.Folder" subfolders are folders of this Maildir
            base = _name(folder, root)
            yield read_maildir(folder, base, problems)
            for sub in sorted(dirs):
                if sub.startswith(".") and _is_maildir(folder / sub):
                    name = sub[1:].replace(".", "/")
                    yield read_maildir(
                        folder / sub, f"{base}/{name}" if base != "INBOX" else name, problems
                    )
            dirs[:] = [d for d in dirs if d not in ("cur", "new", "tmp") and not d.startswith(".")]
            continue
        emls = [folder / f for f in files if f.lower().endswith(".eml")]
        if emls:
            found = True
            yield read_eml(emls, _name(folder, root), root, problems)
        for file in sorted(files):
            path = folder / file
            if not file.lower().endswith(".eml") and path.is_file() and _is_mbox(path):
                found = True
                yield read_mbox(path, path.relative_to(root).as_posix(), problems)
    if not found:
        raise SourceInvalid(source=root)


def _walk_error(error: OSError, root: Path, problems: list[MailProblem]) -> None:
    where = Path(error.filename).relative_to(root).as_posix() if error.filename else ""
    problems.append(MailProblem(where, "", error.strerror or str(error)))
