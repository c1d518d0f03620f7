"""``menage scan --json``: the scan's JSON document (:mod:`menage.files.document`),
written as it is made, so that a million-file scan does not hold its whole report in
memory. The text is ASCII only (valid UTF-8 whatever the file names).
"""

from __future__ import annotations

from typing import IO, Any

from menage._jsonstream import write_json
from menage.files.document import scan_summary
from menage.files.result import ScanResult


def write_scan_json(
    result: ScanResult, stream: IO[str], summary: dict[str, Any] | None = None
) -> None:
    """Write the scan's JSON to ``stream`` without building it all in memory.

    A scan run with ``keep_json`` made it already, while the index kept its copy: those
    bytes are written as they are, once (their temporary file is then closed).
    """
    kept = result.json_text
    if summary is None and kept is not None:
        result.json_text = None
        try:
            buffer = getattr(stream, "buffer", None)
            if buffer is not None:
                stream.flush()
                for block in kept.blocks():
                    buffer.write(block)
                buffer.flush()
            else:
                for block in kept.blocks():
                    stream.write(block.decode("ascii"))
        finally:
            kept.close()
        return
    write_json(summary if summary is not None else scan_summary(result), stream.write, 0)
    stream.write("\n")
