"""The messages of a mailbox on disk, with where each one is, for ``menage mail clean``.

Maildir messages are files (found by their key in ``new`` and ``cur``); mbox messages
are recognised by the SHA-256 of their bytes (:mod:`menage.mail.mbox_ops`). Folders
of ``.eml`` files are analysed but not cleaned by this command (``menage plan`` and
``menage apply`` handle them as files).
"""

from __future__ import annotations

import os
from pathlib import Path

from menage.mail import select as s
from menage.mail.local import _is_maildir, _is_mbox, _name, read_maildir, read_mbox
from menage.mail.mbox_ops import digests
from menage.mail.model import MailProblem, MessageMeta

Found = tuple[str, str | None, list[MessageMeta]]


def _maildir_files(folder: Path) -> dict[str, Path]:
    files: dict[str, Path] = {}
    for sub in ("new", "cur"):
        for entry in (folder / sub).iterdir():
            files[entry.name.partition(":")[0]] = entry
    return files


def _folders(root: Path) -> list[tuple[str, str, Path]]:
    """(name, "mbox" or "maildir", path) of every mailbox under ``root``."""
    if root.is_file():
        return [(root.name, "mbox", root)] if _is_mbox(root) else []
    found: list[tuple[str, str, Path]] = []
    for current, dirs, files in os.walk(root):
        folder = Path(current)
        dirs.sort()
        if _is_maildir(folder):
            base = _name(folder, root)
            found.append((base, "maildir", folder))
            for sub in sorted(dirs):
                if sub.startswith(".") and _is_maildir(folder / sub):
                    name = sub[1:].replace(".", "/")
                    found.append(
                        (f"{base}/{name}" if base != "INBOX" else name, "maildir", folder / sub)
                    )
            dirs[:] = [d for d in dirs if d not in ("cur", "new", "tmp") and not d.startswith(".")]
            continue
        for file in sorted(files):
            path = folder / file
            if not file.lower().endswith(".eml") and _is_mbox(path):
                found.append((path.relative_to(root).as_posix(), "mbox", path))
    return found


Where = dict[tuple[str, str], tuple[str, bytes, dict[str, str]]]


def local_folders(root: Path, wanted: tuple[str, ...] = ()) -> tuple[list[Found], Where]:
    """Every folder's messages, and where each message is (source, path, identity)."""
    from menage.mail.local import _role

    problems: list[MailProblem] = []
    read: list[Found] = []
    where: Where = {}
    for name, kind, path in _folders(root):
        if wanted and name not in wanted:
            continue
        if kind == "mbox":
            _info, messages = read_mbox(path, name, problems)
            shas = digests(path.read_bytes())
            for index, meta in enumerate(messages):
                sha = shas[index] if index < len(shas) else ""
                where[(name, meta.ref.key or "")] = ("mbox", os.fsencode(path), {"sha256": sha})
        else:
            _info, messages = read_maildir(path, name, problems)
            files = _maildir_files(path)
            for meta in messages:
                file = files.get(meta.ref.key or "")
                if file is not None:
                    where[(name, meta.ref.key or "")] = ("maildir", os.fsencode(file), {})
        read.append((name, _role(name), messages))
    return read, where


def local_plan(
    root: Path, criteria: s.Criteria, wanted: tuple[str, ...], now: float | None
) -> s.MailPlan:
    read, where = local_folders(root, wanted)
    targets = []
    for target in s.select(read, criteria, now):
        ref = target.meta.ref
        found = where.get((ref.folder, ref.key or ""))
        if found is None:
            continue
        target.source, target.path, target.extra = found
        if target.keep is not None:
            kept = where.get((target.keep.folder, target.keep.key or ""))
            if kept is None:
                continue
            if found[0] == "maildir":
                target.keep_extra = {"path": os.fsdecode(kept[1])}
            else:
                target.keep_extra = kept[2]
        targets.append(target)
    top = root if root.is_dir() else root.parent
    return s.MailPlan(str(root), "local", {}, None, targets, roots=[os.fsencode(top.absolute())])
