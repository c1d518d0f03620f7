"""Grouping near-identical photos without comparing every pair.

The pHashes go into a BK-tree (Burkhard–Keller: each child sits at its exact Hamming
distance from its parent, so a search within radius r visits only the children at
distance d−r … d+r). A pair is similar when its pHashes are within
:data:`PHASH_MAX` bits **and** its dHashes within :data:`DHASH_MAX` bits: two
independent hashes agreeing keeps chance matches out. A photo and its mirror image
match on the mirrored pHash within the tighter :data:`MIRROR_MAX`. Similar pairs
are joined into groups (union–find).

Thresholds, measured on the labelled set of ``bench/run_photos.py`` (64-bit hashes):
re-encodings, resizes, exposure changes and small crops stay within them; different
photos sit around 32 bits apart.
"""

from __future__ import annotations

from collections.abc import Sequence

from menage.photos.hashing import distance

PHASH_MAX = 10
DHASH_MAX = 16
MIRROR_MAX = 6


class BKTree:
    """A BK-tree of 64-bit hashes; each node holds the indices sharing its hash."""

    def __init__(self) -> None:
        # node: [hash, [indices], {distance: child}]
        self._root: list[object] | None = None

    def add(self, h: int, index: int) -> None:
        """Insert hash ``h`` for item ``index``."""
        if self._root is None:
            self._root = [h, [index], {}]
            return
        node = self._root
        while True:
            d = distance(h, node[0])  # type: ignore[arg-type]
            if d == 0:
                node[1].append(index)  # type: ignore[attr-defined]
                return
            children: dict[int, list[object]] = node[2]  # type: ignore[assignment]
            child = children.get(d)
            if child is None:
                children[d] = [h, [index], {}]
                return
            node = child

    def search(self, h: int, radius: int) -> list[int]:
        """Indices of every hash within ``radius`` bits of ``h``."""
        found: list[int] = []
        stack = [self._root] if self._root is not None else []
        while stack:
            node = stack.pop()
            assert node is not None
            d = distance(h, node[0])  # type: ignore[arg-type]
            if d <= radius:
                found.extend(node[1])  # type: ignore[arg-type]
            children: dict[int, list[object]] = node[2]  # type: ignore[assignment]
            for dist, child in children.items():
                if d - radius <= dist <= d + radius:
                    stack.append(child)
        return found


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def similar_groups(
    phashes: Sequence[int],
    dhashes: Sequence[int],
    mirrors: Sequence[int] | None = None,
    phash_max: int = PHASH_MAX,
    dhash_max: int = DHASH_MAX,
    mirror_max: int = MIRROR_MAX,
) -> list[list[int]]:
    """Groups (lists of indices, two or more, sorted) of similar photos.

    Args:
        phashes, dhashes: the hashes of each photo, by index.
        mirrors: the pHash of each photo's mirror image, or None to ignore mirrors.
    """
    tree = BKTree()
    for i, h in enumerate(phashes):
        tree.add(h, i)
    parent = list(range(len(phashes)))

    def join(i: int, j: int) -> None:
        a, b = _find(parent, i), _find(parent, j)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for i, h in enumerate(phashes):
        for j in tree.search(h, phash_max):
            if j > i and distance(dhashes[i], dhashes[j]) <= dhash_max:
                join(i, j)
        if mirrors is not None:
            for j in tree.search(mirrors[i], mirror_max):
                if j != i:
                    join(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(phashes)):
        groups.setdefault(_find(parent, i), []).append(i)
    return sorted((g for g in groups.values() if len(g) > 1), key=lambda g: g[0])
