"""How an action of the journal is named to the user: its path, or for a message on a
server its folder and Message-ID (or size)."""

from __future__ import annotations

import json

from menage.clean.records import Entry
from menage.files.names import escape


def entry_label(entry: Entry) -> str:
    if entry.path is not None:
        return escape(entry.path)
    try:
        ref = json.loads(entry.ref)
        name = ref.get("message_id") or f"{ref.get('size')} B, {ref.get('date') or '?'}"
        return f"{ref.get('folder')}: {name}"
    except (ValueError, AttributeError):
        return entry.ref.decode("utf-8", "replace")
