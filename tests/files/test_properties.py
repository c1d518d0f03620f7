"""Property: the duplicate groups equal a brute-force grouping by full content."""

from __future__ import annotations

import os
import tempfile
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from menage.files.hashing import BLOCK, WHOLE_LIMIT
from menage.files.scan import scan

# Contents are drawn from a few shapes so that sizes and prefixes collide often: the
# staged comparison must still separate files differing only in the middle or at the end.
_BASES = [b"", b"a", b"ab", b"x" * 100]
_LONG = WHOLE_LIMIT + 3 * BLOCK


def _content(kind: int, variant: int) -> bytes:
    if kind < len(_BASES):
        return _BASES[kind]
    body = bytearray(b"L" * _LONG)
    if kind == len(_BASES):  # differs in the middle
        body[_LONG // 2] = variant
    else:  # differs in the last byte
        body[-1] = variant
    return bytes(body)


files_strategy = st.lists(
    st.tuples(
        st.integers(0, len(_BASES) + 1),  # content shape
        st.integers(0, 2),  # variant
        st.integers(0, 3),  # folder
        st.booleans(),  # also hardlink it elsewhere
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files_strategy)
def test_groups_match_brute_force(files: list[tuple[int, int, int, bool]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inode_content: dict[int, bytes] = {}
        for n, (kind, variant, folder, link) in enumerate(files):
            path = root / f"d{folder}" / f"f{n}"
            path.parent.mkdir(exist_ok=True)
            data = _content(kind, variant)
            path.write_bytes(data)
            inode_content[path.stat().st_ino] = data
            if link:
                os.link(path, root / f"link{n}")
        result = scan([root])

        expected: dict[bytes, set[int]] = defaultdict(set)
        for inode, data in inode_content.items():
            if data:
                expected[data].add(inode)
        want = {frozenset(inodes) for inodes in expected.values() if len(inodes) > 1}
        got = {frozenset(result.tree.ino[i] for i in g.files) for g in result.duplicates.groups}
        assert got == want
        assert result.redundant_bytes == sum(
            len(inodes) * 0 + len(data) * (len(inodes) - 1)
            for data, inodes in expected.items()
            if len(inodes) > 1
        )
        assert result.total_files == len(inode_content)
