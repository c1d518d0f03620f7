"""Where Ménage keeps its state: the index, hash cache, journal and quarantine.

Everything lives under one folder: ``$MENAGE_HOME`` when set (tests and shared
machines use it), otherwise the user data dir (``~/.local/share/menage`` on Linux).
"""

from __future__ import annotations

import os
from pathlib import Path


def menage_home() -> Path:
    """The state folder, created on first use."""
    override = os.environ.get("MENAGE_HOME")
    if override:
        home = Path(override).expanduser()
    else:
        from platformdirs import user_data_path

        home = user_data_path("menage", appauthor=False)
    home.mkdir(parents=True, exist_ok=True)
    return home


def default_index_path() -> Path:
    """The default index file."""
    return menage_home() / "index.sqlite"
