"""Where Ménage keeps its state, and how its own folders are recognised.

Everything lives under one folder: ``$MENAGE_HOME`` when set (tests and shared
machines use it), otherwise the user data dir (``~/.local/share/menage`` on Linux):
the index, the journal, the quarantine and the plans of ``menage clean``.

Ménage's own folders are recognised by **device and inode**, never by the text of a
path: ``~/.local`` may be a symbolic link, the home may be reached through a bind
mount or a followed link, and the quarantine must still never look like a copy.
:func:`own_folders` gives the identities that the walk never enters and that no
action may touch: the home, its quarantine, the quarantines at the root of other
filesystems (``.menage-quarantine``, also recognised by name), and any index or
journal file opened outside the home (with their SQLite side files).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from menage.errors import MenageError, os_error_text
from menage.i18n import N_

QUARANTINE_DIRNAME = b".menage-quarantine"
#: SQLite's side files of a database file, recognised by their name beside it
SIDE_SUFFIXES = (b"-wal", b"-shm", b"-journal", b".lock")

Identity = tuple[int, int]

#: state files opened in this process outside the home (an ``--index`` elsewhere)
_state_files: set[bytes] = set()
#: the folder of the workspace whose operation is running (:mod:`menage.workspace`)
_active_home: ContextVar[Path | None] = ContextVar("menage_active_home", default=None)


class HomeNotWritable(MenageError):
    template = N_(
        "Ménage's data folder {path} cannot be created ({detail}). Set MENAGE_HOME to a "
        "folder you can write to."
    )


def home_path() -> Path:
    """The state folder's path (not created): the active workspace's, else
    ``$MENAGE_HOME``, else the user data folder."""
    active = _active_home.get()
    if active is not None:
        return active
    override = os.environ.get("MENAGE_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("menage", appauthor=False)


#: the cleanup journal's file name in the home (see menage.clean.journal)
JOURNAL_NAME = "journal.sqlite"


def menage_home() -> Path:
    """The state folder, created on first use.

    Raises:
        HomeNotWritable: it does not exist and cannot be created.
    """
    home = home_path()
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise HomeNotWritable(path=str(home), detail=os_error_text(exc)) from None
    return home


@contextlib.contextmanager
def using_home(folder: Path) -> Iterator[Path]:
    """Make ``folder`` the state folder for the ``with`` block (this thread or task)."""
    token = _active_home.set(folder)
    try:
        yield folder
    finally:
        _active_home.reset(token)


def default_index_path() -> Path:
    """The default index file."""
    return menage_home() / "index.sqlite"


def remember_state_file(path: str | os.PathLike[str]) -> None:
    """Count a state file opened outside the home among Ménage's own (see module doc)."""
    _state_files.add(os.path.abspath(os.fsencode(path)))


@dataclass(frozen=True)
class OwnFolders:
    """Ménage's own state, by identity: what the walk never enters or lists.

    The native walker receives the same three sets.
    """

    #: (device, inode) of folders never walked (the home, quarantines)
    folders: frozenset[Identity] = frozenset()
    #: (device, inode) of files never listed (an index or journal outside the home)
    files: frozenset[Identity] = frozenset()
    #: (device, inode of the folder, name): the SQLite side files of those files
    side_files: frozenset[tuple[int, int, bytes]] = frozenset()

    def __contains__(self, identity: object) -> bool:
        return identity in self.folders or identity in self.files

    def is_own_folder(self, st: os.stat_result, name: bytes) -> bool:
        """Whether a folder met by the walk is one of ours (by identity, or by name)."""
        return (st.st_dev, st.st_ino) in self.folders or name == QUARANTINE_DIRNAME


def _identity(path: bytes) -> Identity | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def own_folders(extra: Iterable[str | os.PathLike[str]] = ()) -> OwnFolders:
    """Ménage's own folders and files, by (device, inode), as they are now.

    Args:
        extra: more folders to count as Ménage's (quarantines named by the journal).
    """
    home = os.fsencode(home_path())
    folders = {
        i
        for i in map(_identity, (home, os.path.join(home, b"quarantine"), *map(os.fsencode, extra)))
        if i is not None
    }
    files: set[Identity] = set()
    side: set[tuple[int, int, bytes]] = set()
    for path in _state_files:
        identity = _identity(path)
        parent = _identity(os.path.dirname(path))
        if identity is None or parent is None or identity in folders:
            continue
        files.add(identity)
        side.update((*parent, os.path.basename(path) + s) for s in SIDE_SUFFIXES)
    return OwnFolders(frozenset(folders), frozenset(files), frozenset(side))
