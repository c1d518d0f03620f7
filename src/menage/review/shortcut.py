"""A desktop shortcut that starts the review page (a ``.desktop`` file, Linux)."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

from menage.errors import OutputNotWritten, os_error_text
from menage.output import write_output

DESKTOP_NAME = "menage-review.desktop"


def applications_folder() -> Path:
    """``$XDG_DATA_HOME/applications`` (``~/.local/share/applications`` by default)."""
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(Path.home(), ".local", "share")
    return Path(data) / "applications"


def desktop_entry(command: list[str]) -> str:
    """The text of the ``.desktop`` file that runs ``command``."""

    def escape(value: str) -> str:
        # the Desktop Entry spec: backslash, then the characters Exec reserves
        return value.replace("\\", "\\\\")

    exec_line = " ".join(shlex.quote(part) for part in command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.5\n"
        "Name=Ménage: tidy up my files\n"
        "Name[fr]=Ménage\u00a0: faire le tri dans mes fichiers\n"
        "Comment=Find duplicates, big and old files, and clean them safely\n"
        "Comment[fr]=Trouver les doublons, les gros et les vieux fichiers, "
        "et les ranger sans risque\n"
        f"Exec={escape(exec_line)}\n"
        "Icon=folder\n"
        "Terminal=false\n"
        "Categories=Utility;FileTools;\n"
    )


def install_shortcut(folder: Path | None = None) -> Path:
    """Write the shortcut into the applications folder; return its path.

    Raises:
        OutputNotWritten: the folder or the file cannot be written.
    """
    where = folder or applications_folder()
    # the freedesktop applications folder may not exist yet on a fresh account: it is a
    # standard place, made here on purpose (outputs never make missing folders)
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputNotWritten(path=str(where), detail=os_error_text(exc)) from None
    target = where / DESKTOP_NAME
    command = [sys.executable, "-m", "menage", "review"]
    write_output(target, desktop_entry(command).encode("utf-8"))  # written atomically
    return target
