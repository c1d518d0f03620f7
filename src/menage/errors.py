"""Every error Ménage expects, with the message users see and the exit code.

Our exception hierarchy:

* MenageError (exit 1)
  + PathError
    - PathNotFound
    - NotADirectory
    - OutputNotWritten
      - ReportNotWritten
  + IndexError_ (exit 4)
    - IndexCorrupted
    - IndexForeign
    - IndexTooNew
    - IndexBusy
    - IndexReadOnly
    - ReportTooNew
  + NoSuchScan
  + ScansNotComparable (exit 2), NoScanToCompare, NoScanYet
  + ConfigInvalid (exit 2)
  + StorageFull (exit 5)
  + PlatformMissing
  + Interrupted (exit 130)
  + menage.clean.errors.CleanError (the cleanup: plan, apply, undo, purge)
    - PlanInvalid (exit 6)
    - JournalError (exit 7): JournalCorrupted, JournalEmpty, JournalForeign, JournalTooNew,
      JournalBusy, JournalReadOnly
    - NotConfirmed (exit 8)
    - NoSuchRun, NothingToUndo, NothingSelected

The command line catches MenageError, prints its message on one line and exits
with its code; any other exception is a bug and gets a traceback.
Exit codes: 0 success, 1 error, 2 usage, 3 incomplete result (some entries were
skipped; the output lists them), 4 index problem, 5 no space left, 6 invalid plan
file, 7 cleanup journal problem, 8 not confirmed, 130 interrupted.
"""

from __future__ import annotations

import errno
import os
from typing import Any, ClassVar

from menage.i18n import N_, _

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INCOMPLETE = 3
EXIT_INDEX = 4
EXIT_NO_SPACE = 5
EXIT_PLAN = 6
EXIT_JOURNAL = 7
EXIT_NOT_CONFIRMED = 8
EXIT_INTERRUPTED = 130


class MenageError(Exception):
    """Base of every expected error; ``template`` is formatted with the keyword arguments."""

    template: ClassVar[str] = N_("{detail}")
    exit_code: ClassVar[int] = EXIT_ERROR

    def __init__(self, **fields: Any) -> None:
        self.fields = fields
        super().__init__(self.message)

    @property
    def message(self) -> str:
        return _(self.template).format(**self.fields)


class PathError(MenageError):
    template = N_("{path}: {detail}")


class PathNotFound(PathError):
    template = N_("{path}: no such file or folder")


class NotADirectory(PathError):
    template = N_("{path}: not a folder (give a folder to scan)")


class OutputNotWritten(PathError):
    template = N_("{path}: cannot be written ({detail})")


class ReportNotWritten(OutputNotWritten):
    template = N_("{path}: cannot write the report ({detail})")


class IndexError_(MenageError):  # noqa: N801 - avoids shadowing the builtin IndexError
    template = N_("index {path}: {detail}")
    exit_code = EXIT_INDEX


class IndexCorrupted(IndexError_):
    template = N_(
        "index {path} is damaged ({detail}). Run again with --rebuild-index: "
        "the damaged file is kept aside, not deleted."
    )


class IndexForeign(IndexError_):
    template = N_(
        "{path} is not a Ménage index. Choose another file with --index, "
        "or run with --rebuild-index to move it aside and start a new index."
    )


class IndexTooNew(IndexError_):
    template = N_(
        "index {path} was written by a newer Ménage (format {found}, this version reads "
        "up to {supported}). Upgrade Ménage or choose another file with --index."
    )


class IndexBusy(IndexError_):
    template = N_("index {path} is in use by another Ménage process; try again when it ends.")


class IndexReadOnly(IndexError_):
    template = N_(
        "index {path} cannot be written ({detail}): its folder is read-only. It was not "
        "changed. Make {folder} writable, or choose another index with --index or "
        "MENAGE_HOME."
    )


class ReportTooNew(IndexError_):
    template = N_(
        "scan {scan} was stored by a newer Ménage (JSON schema {found}, this version reads "
        "up to {supported}). Upgrade Ménage to use it."
    )


class NoSuchScan(MenageError):
    template = N_("there is no scan {scan} in the index; `menage scans` lists them.")


class ScansNotComparable(MenageError):
    template = N_(
        "scan {before} ({before_roots}) and scan {after} ({after_roots}) are not of the same "
        "folders: their duplicate rates cannot be compared. `menage scans` lists the scans "
        "with their folders; `menage scans --compare` alone compares the last two scans of "
        "the same folders."
    )
    exit_code = EXIT_USAGE


class NoScanToCompare(MenageError):
    template = N_(
        "there is no earlier scan of the same folders ({roots}) to compare with; "
        "scan them again after a cleanup, then `menage scans --compare`."
    )


class NoScanYet(MenageError):
    template = N_("there is no scan yet: run `menage scan FOLDER` first.")


class StorageFull(MenageError):
    template = N_(
        "no space left while writing {path}. Nothing was lost: the previous state is intact. "
        "Free some space or choose another place with --index or MENAGE_HOME."
    )
    exit_code = EXIT_NO_SPACE


class PlatformMissing(MenageError):
    template = N_("{hint}")


class Interrupted(MenageError):
    template = N_("interrupted; what was done so far is saved and the next run resumes from it.")
    exit_code = EXIT_INTERRUPTED


#: the system's messages for the errors people meet with files, mail servers and disks,
#: in our words: ``strerror`` is always English, whatever the language chosen
_OS_ERRORS: dict[int, str] = {
    errno.ENOENT: N_("no such file or folder"),
    errno.EACCES: N_("permission denied"),
    errno.EPERM: N_("operation not permitted"),
    errno.ENOSPC: N_("no space left on the device"),
    errno.EDQUOT: N_("disk quota exceeded"),
    errno.EROFS: N_("read-only file system"),
    errno.EISDIR: N_("is a folder"),
    errno.ENOTDIR: N_("not a folder"),
    errno.EEXIST: N_("already exists"),
    errno.ENOTEMPTY: N_("folder not empty"),
    errno.ELOOP: N_("too many levels of symbolic links"),
    errno.ENAMETOOLONG: N_("name too long"),
    errno.EIO: N_("input/output error (the disk may be failing)"),
    errno.EXDEV: N_("on another file system"),
    errno.EBUSY: N_("device or resource busy"),
    errno.EMFILE: N_("too many open files"),
    errno.ETIMEDOUT: N_("the connection timed out"),
    errno.ECONNREFUSED: N_("connection refused"),
    errno.ECONNRESET: N_("the connection was reset by the other side"),
    errno.EHOSTUNREACH: N_("no route to the host"),
    errno.ENETUNREACH: N_("the network is unreachable"),
}


def os_error_text(exc: OSError) -> str:
    """What went wrong, in the user's language (the system's own words as a fallback)."""
    if exc.errno in _OS_ERRORS:
        return _(_OS_ERRORS[exc.errno])
    return exc.strerror or str(exc)


def system_error_text(text: str) -> str:
    """The system's English message (from the native core's ``strerror``) in our words."""
    for code, message in _OS_ERRORS.items():
        if text == os.strerror(code):
            return _(message)
    return text
