"""How an action of the journal is named to the user: its path, or for a message on a
server its folder and Message-ID (or size)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the help must not import the cleanup (see tests/cli/test_app.py)
    from menage.clean.records import Entry


def entry_label(entry: Entry) -> str:
    from menage.files.names import escape

    if entry.path is not None:
        return escape(entry.path)
    try:
        ref = json.loads(entry.ref)
        name = ref.get("message_id") or f"{ref.get('size')} B, {ref.get('date') or '?'}"
        return f"{ref.get('folder')}: {name}"
    except (ValueError, AttributeError):
        return entry.ref.decode("utf-8", "replace")
