#!/usr/bin/env python3
"""Deterministic generator of a realistic file tree for duplicate-finder benchmarks.

    python3 make_corpus.py OUT_DIR [--files N] [--seed S] [--large K] [--dry-run] [--force]
    python3 make_corpus.py OUT_DIR --verify      # re-derive the truth from disk and compare

Creates
    OUT_DIR/tree/                     the tree to scan
    OUT_DIR/ground_truth.json         summary truth (counts, bytes, per-variant numbers)
    OUT_DIR/ground_truth_groups.jsonl one line per duplicate group:
                                      {"size": S, "inodes": [[path, ...], ...]}
                                      (paths relative to tree/, non-UTF-8 bytes as surrogate
                                      escapes, i.e. os.fsencode(path) gives the real name back)

Same seed + same --files => byte-identical tree (names, sizes, content, mtimes).

What is in the tree (numbers for the default --files 200000):
  * ~8000 nested directories, depth 1..16 plus one 30-level node_modules-like chain, Zipf-skewed
    file counts per directory, hidden dirs (.cache, .config, .local/share/Trash), empty dirs
  * file sizes: ~1.5% empty, ~1.5% tiny (1-15 B, small alphabet => natural duplicates),
    small 64 B-16 KiB, medium 16-128 KiB, 128 KiB-1 MiB, some 1-16 MiB, and a few 50-200 MB files
  * exact duplicate groups of 2..10 copies (skewed to pairs), spread across folders, sometimes in
    the same folder as "name (1).ext" / "name - Copie.ext"; larger files are copied more often
  * same-size crowds with different content (4 KiB, 64 KiB), files sharing a 64 KiB prefix,
    sets differing only in the LAST byte and sets differing only in the MIDDLE byte (incl. large
    ones)
  * hardlinks (not reclaimable: the truth counts an inode once), symlinks to files and dirs,
    a dangling symlink, a symlink loop (a->b->a) and a directory loop (self -> .), a FIFO,
    non-UTF-8 (Latin-1) file and dir names, names with spaces / newline / tab / quotes / leading
    dash,
    an unreadable file and an unreadable dir (chmod 000; root can still read them),
    temp-like files (~$x.docx, .~lock.x#, *.tmp, *.bak, *~, *.swp, Thumbs.db, .DS_Store, *.pyc)
  * mtimes spread over 2012..2025 (deterministic, skewed to recent)

Truth conventions: a "file" is an inode (hardlinks to it are the same file); symlinks, the FIFO and
directories are never files; a duplicate group = >= 2 distinct inodes with identical content;
redundant files = sum(n-1); redundant bytes = sum(size*(n-1)). Numbers are given excluding empty
files (the usual tool default) and with them, by path (hardlinks counted as copies, what a naive
tool reports), and restricted to non-hidden paths (rmlint and duff skip hidden files by default).

Provenance: copied into Ménage from the project's shared research folder
(``shared/bench/make_corpus.py``, generator version 1, the tool that measured the peers in
``shared/research/duplicate-finders.md``) so that ``make bench`` runs on a fresh clone. Changes:
ruff formatting, type hints, f-strings instead of %-formatting; the plan, the bytes written and the
truth files are unchanged (same seed and arguments give the same tree and ground_truth*.json).
"""

import argparse
import hashlib
import json
import math
import os
import random
import shutil
import stat
import struct
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

GEN_VERSION = 1
POOL_SIZE = 32 << 20
CHUNK = 4 << 20
HDR = 16
T0 = 1325376000  # 2012-01-01 UTC
T1 = 1751241600  # 2025-06-30 UTC
MiB = 1 << 20

# A content recipe: ("rand", size, blob_id, pool_offset) | ("bytes", data)
# | ("concat", [spec, ...]) | ("patch", base_spec, position, delta).
Spec = tuple[Any, ...]

WORDS = (
    "projet rapport facture photos vacances ete hiver famille travail clients archive export "
    "draft final old new misc data scans notes budget reunion src lib docs assets build test "
    "images music videos backup copie partage equipe compta rh 2016 2017 2018 2019 2020 2021 "
    "2022 2023 2024 q1 q2 q3 q4 janvier fevrier mars avril mai juin juillet aout septembre "
    "octobre novembre decembre admin public private templates modeles presse communication"
).split()
ACCENTED = ["Été 2019", "Réunions", "Données brutes", "Présentations", "Équipe A", "Année 2020"]

EXT = {
    "tiny": [".txt", ".keep", ".md", ".json", ".cfg", ".csv"],
    "small": [
        ".txt",
        ".md",
        ".json",
        ".py",
        ".js",
        ".css",
        ".html",
        ".xml",
        ".csv",
        ".log",
        ".ini",
        ".yml",
        ".c",
        ".h",
        ".svg",
        ".eml",
    ],
    "medium": [
        ".jpg",
        ".png",
        ".pdf",
        ".docx",
        ".xlsx",
        ".pptx",
        ".odt",
        ".html",
        ".js",
        ".eml",
        ".gif",
    ],
    "big": [".jpg", ".png", ".pdf", ".docx", ".pptx", ".zip", ".mp3", ".JPG", ".epub"],
    "mb": [".jpg", ".mp3", ".pdf", ".zip", ".mov", ".mp4", ".psd", ".tar.gz", ".CR2", ".wav"],
    "large": [".iso", ".mp4", ".mkv", ".vmdk", ".zip"],
}
TINY_CONTENTS = [
    b"\n",
    b"ok",
    b"1",
    b"0\n",
    b"{}",
    b"[]\n",
    b"TODO",
    b"#!/bin/sh\n",
    b"x",
    b"hello\n",
    b"test",
    b"\r\n",
    b"null",
    b"true\n",
    b"42",
    b"a",
]
GROUP_SIZES = [2, 3, 4, 5, 6, 7, 8, 9, 10]
GROUP_WEIGHTS = [45, 20, 10, 7, 5, 4, 3, 3, 3]


def enc(s: str | bytes) -> bytes:
    return s.encode("utf-8") if isinstance(s, str) else s


def loguniform(rng: random.Random, lo: float, hi: float) -> int:
    return int(math.exp(rng.uniform(math.log(lo), math.log(hi))))


class Corpus:
    def __init__(self, files: int, seed: int, large: int | None, size_scale: float = 1.0) -> None:
        self.n = files
        self.ss = size_scale
        self.seed = seed
        self.f = files / 200000.0
        self.large = large if large is not None else max(0, round(4 * self.f))
        self.rng = random.Random(seed)
        self.pool = b""  # the random bytes every "rand" blob is cut from (made by write())
        # blobs: list of spec tuples; blob_size; blob_digest (filled while writing)
        self.blobs: list[Spec] = []
        self.blob_size: list[int] = []
        self.blob_digest: list[str | None] = []
        # entries: regular files (one per inode): [relpath(bytes), blob, mtime, tag]
        self.files: list[list[Any]] = []
        self.hardlinks: list[tuple[bytes, int]] = []  # (relpath, file_index)
        self.symlinks: list[tuple[bytes, bytes]] = []  # (relpath, target bytes)
        self.fifos: list[bytes] = []
        self.unreadable_files: list[int] = []
        self.unreadable_dirs: list[bytes] = []
        self.dirs: list[bytes] = []  # relpaths (bytes), b"" excluded
        self.large_files: list[int] = []
        self.cum_w: list[float] = []
        self.pick_pool: list[bytes] = []
        self.deep_dir = b""
        self.empty_blob = -1
        self.dir_names: defaultdict[bytes, set[bytes]] = defaultdict(set)
        self.counter = 0

    # ---------------------------------------------------------------- content model
    def new_blob(self, spec: Spec, size: int) -> int:
        self.blobs.append(spec)
        self.blob_size.append(size)
        return len(self.blobs) - 1

    def rand_blob(self, size: int) -> int:
        bid = len(self.blobs)
        off = self.rng.randrange(0, POOL_SIZE - CHUNK)
        return self.new_blob(("rand", size, bid, off), size)

    def sz(self, lo: int, hi: int) -> int:
        """Log-uniform size in [lo, hi), scaled by --size-scale (1.0: the unscaled corpus)."""
        if self.ss != 1.0:
            lo, hi = max(1, int(lo * self.ss)), max(2, int(hi * self.ss))
        return loguniform(self.rng, lo, hi)

    def hdr(self, bid: int, k: int) -> bytes:
        return hashlib.blake2b(struct.pack("<QQQ", self.seed, bid, k), digest_size=HDR).digest()

    def iter_spec(self, spec: Spec) -> Iterator[bytes | memoryview]:
        kind = spec[0]
        if kind == "rand":
            _, size, bid, off = spec
            pos, k = 0, 0
            while pos < size:
                n = min(CHUNK, size - pos)
                h = self.hdr(bid, k)
                if n <= HDR:
                    yield h[:n]
                else:
                    o = (off + k * 7919 * 4096) % (POOL_SIZE - CHUNK)
                    yield h
                    yield memoryview(self.pool)[o : o + n - HDR]
                pos += n
                k += 1
        elif kind == "bytes":
            yield spec[1]
        elif kind == "concat":
            for sub in spec[1]:
                yield from self.iter_spec(sub)
        elif kind == "patch":  # ("patch", base_spec, pos, delta): byte at pos += delta (mod 256)
            _, base, ppos, delta = spec
            pos = 0
            for part in self.iter_spec(base):
                n = len(part)
                if pos <= ppos < pos + n:
                    ba = bytearray(part)
                    ba[ppos - pos] = (ba[ppos - pos] + delta) % 256
                    part = bytes(ba)
                yield part
                pos += n
        else:
            raise ValueError(kind)

    # ---------------------------------------------------------------- names / dirs
    def uniq_name(self, d: bytes, name: bytes) -> bytes:
        names = self.dir_names[d]
        if name in names:
            stem, dot, ext = name.rpartition(b".") if b"." in name[1:] else (name, b"", b"")
            i = 2
            while True:
                cand = stem + b"_%d" % i + (dot + ext if dot else b"")
                if cand not in names:
                    name = cand
                    break
                i += 1
        names.add(name)
        return name

    def join(self, d: bytes, name: bytes) -> bytes:
        return d + b"/" + name if d else name

    def make_dirs(self) -> None:
        rng = self.rng
        roots = [
            b"Documents",
            b"Pictures",
            b"Music",
            b"Videos",
            b"Downloads",
            b"Desktop",
            b"Projects",
            b"Shared",
            b"Archive",
            b"Backup",
            b"Scans",
            b".cache",
            b".config",
            b".local",
            b".local/share",
            b".local/share/Trash",
            b".local/share/Trash/files",
            b"tmp",
        ]
        for r in roots:
            self.add_dir(r)
        depth = {d: d.count(b"/") + 1 for d in self.dirs}
        target = max(40, self.n // 25)
        last = self.dirs[-1]
        while len(self.dirs) < target:
            if rng.random() < 0.35 and depth[last] < 16:
                parent = last
            else:
                parent = rng.choice(self.dirs)
                if depth[parent] >= 16:
                    parent = rng.choice(roots)
            roll = rng.random()
            if roll < 0.03:
                name = enc(rng.choice(ACCENTED))
            elif roll < 0.25:
                name = enc(f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)}")
            elif roll < 0.35:
                name = enc(f"{rng.randint(2012, 2025)}-{rng.randint(1, 12):02d}")
            else:
                name = enc(rng.choice(WORDS))
            name = self.uniq_name(parent, name)
            d = self.join(parent, name)
            self.add_dir(d)
            depth[d] = depth[parent] + 1
            last = d
        # a deep node_modules-like chain
        d = b"Projects/webapp/node_modules"
        for part in (b"Projects", b"Projects/webapp", d):
            if part not in depth:
                self.add_dir(part)
                depth[part] = part.count(b"/") + 1
        for i in range(30):
            d = d + b"/pkg%d/node_modules" % i
            self.add_dir(d)
        self.deep_dir = d
        # Zipf-skewed weights over a random permutation of dirs
        order = list(range(len(self.dirs)))
        rng.shuffle(order)
        w = [0.0] * len(self.dirs)
        for rank, i in enumerate(order):
            w[i] = 1.0 / (rank + 1) ** 0.9
        # leave ~2% of leaf-ish dirs empty
        for i in rng.sample(range(len(self.dirs)), len(self.dirs) // 50):
            w[i] = 0.0
        for i, d in enumerate(self.dirs):
            if d.startswith(b"."):
                w[i] *= 0.5
        self.cum_w = []
        s = 0.0
        for x in w:
            s += x
            self.cum_w.append(s)
        self.pick_pool = list(self.dirs)

    def add_dir(self, d: bytes) -> None:
        # register every missing ancestor too
        parts = d.split(b"/")
        for i in range(1, len(parts) + 1):
            p = b"/".join(parts[:i])
            if p not in self.dir_names:
                self.dirs.append(p)
                self.dir_names[p]  # create entry
                parent = b"/".join(parts[: i - 1])
                self.dir_names[parent].add(parts[i - 1])

    def pick_dir(self) -> bytes:
        picked: bytes = self.rng.choices(self.pick_pool, cum_weights=self.cum_w, k=1)[0]
        return picked

    def base_name(self, bucket: str, ext: bytes) -> bytes:
        rng = self.rng
        self.counter += 1
        n = self.counter
        if ext.lower() in (b".jpg", b".png", b".cr2", b".gif"):
            r = rng.random()
            if r < 0.5:
                return b"IMG_%05d%s" % (n, ext)
            if r < 0.8:
                return b"DSC%05d%s" % (n, ext)
            return b"Screenshot %d-%02d-%02d at %d.%02d (%d)%s" % (
                rng.randint(2014, 2025),
                rng.randint(1, 12),
                rng.randint(1, 28),
                rng.randint(0, 23),
                rng.randint(0, 59),
                n,
                ext,
            )
        r = rng.random()
        if r < 0.3:
            return enc(f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {n}") + ext
        if r < 0.6:
            return enc(f"{rng.choice(WORDS)}_{n}") + ext
        return enc(f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{n}") + ext

    def mtime(self) -> int:
        return T0 + int((T1 - T0) * (self.rng.random() ** 0.6))

    def add_file(
        self, d: bytes, name: bytes, blob: int, tag: str | None = None, mtime: int | None = None
    ) -> int:
        name = self.uniq_name(d, name)
        path = self.join(d, name)
        self.files.append([path, blob, mtime if mtime is not None else self.mtime(), tag])
        return len(self.files) - 1

    def place_copies(
        self, blob: int, g: int, bucket: str, ext: bytes, tag: str | None = None
    ) -> list[int]:
        """Place g copies of blob; returns file indices."""
        rng = self.rng
        d0 = self.pick_dir()
        name0 = self.base_name(bucket, ext)
        idx = [self.add_file(d0, name0, blob, tag)]
        stem, ext_ = os.path.splitext(name0)
        for c in range(1, g):
            r = rng.random()
            if r < 0.2:
                nm = (
                    stem
                    + (
                        b" (%d)" % c
                        if rng.random() < 0.5
                        else b" - Copie" + (b" %d" % c if c > 1 else b"")
                    )
                    + ext_
                )
                idx.append(self.add_file(d0, nm, blob, tag))
            elif r < 0.3:
                nm = b"Copy of " + name0 if rng.random() < 0.5 else name0
                idx.append(self.add_file(self.pick_dir(), nm, blob, tag))
            else:
                idx.append(self.add_file(self.pick_dir(), name0, blob, tag))
        return idx

    # ---------------------------------------------------------------- plan
    def plan(self) -> None:
        rng = self.rng
        f = self.f
        self.make_dirs()
        n_special_budget = 0

        # --- large files (50-200 MB): cycle unique / exact pair / last-byte pair / middle-byte pair
        self.large_files = []
        for i in range(self.large):
            size = self.sz(50 * 1000 * 1000, 200 * 1000 * 1000)
            pattern = i % 4
            ext = enc(rng.choice(EXT["large"]))
            b = self.rand_blob(size)
            if pattern == 0:
                self.large_files += [
                    self.add_file(
                        rng.choice([b"Videos", b"Downloads"]), self.base_name("large", ext), b
                    )
                ]
            elif pattern == 1:
                idx = self.add_file(b"Downloads", self.base_name("large", ext), b)
                name = self.files[idx][0].rsplit(b"/", 1)[1]
                idx2 = self.add_file(b"Backup", name, b)
                self.large_files += [idx, idx2]
            else:
                pos = size - 1 if pattern == 2 else size // 2
                b2 = self.new_blob(("patch", self.blobs[b], pos, 1), size)
                nm = self.base_name("large", ext)
                i1 = self.add_file(b"Videos", nm, b)
                i2 = self.add_file(b"Archive", nm, b2)
                self.large_files += [i1, i2]

        # --- adversarial same-size sets
        def variants_set(
            pos_fn: Callable[[int], int], nsets: int, lo: int, hi: int, label: str
        ) -> None:
            for _ in range(nsets):
                size = self.sz(lo, hi)
                k = rng.randint(2, 4)
                ext = enc(rng.choice(EXT["big"] if size > 128 * 1024 else EXT["medium"]))
                base = self.rand_blob(size)
                d = self.pick_dir()
                nm = self.base_name("x", ext)
                for v in range(k):
                    b = (
                        base
                        if v == 0
                        else self.new_blob(("patch", self.blobs[base], pos_fn(size), v), size)
                    )
                    dd = d if v == 0 else self.pick_dir()
                    self.add_file(dd, nm if v else nm, b, tag=label)
                    if rng.random() < 0.3:  # some variants also have an exact copy
                        self.add_file(self.pick_dir(), nm, b, tag=label)

        variants_set(lambda s: s - 1, max(1, round(60 * f)), 4096, 4 * MiB, "lastbyte")
        variants_set(lambda s: s // 2, max(1, round(60 * f)), 4096, 4 * MiB, "midbyte")

        # shared 64 KiB prefix, differing after (defeats prefix-only hashing); some exact copies
        pre = self.rand_blob(65536)
        for _ in range(max(2, round(400 * f))):
            tail = self.rand_blob(262144 - 65536)
            b = self.new_blob(("concat", [self.blobs[pre], self.blobs[tail]]), 262144)
            g = 2 if rng.random() < 0.2 else 1
            self.place_copies(b, g, "big", b".pdf", tag="sharedprefix")
        # same-size crowds (different content)
        for size, cnt in ((4096, round(3000 * f)), (65536, round(1500 * f))):
            for _ in range(max(2, cnt)):
                b = self.rand_blob(size)
                self.place_copies(b, 1, "medium", enc(rng.choice(EXT["medium"])), tag="samesize")

        # --- ordinary files until the budget is reached
        n_special_budget = 60 + self.n // 200 + self.n // 300  # weird names, hardlinks, symlinks...
        target = self.n - n_special_budget
        buckets = [  # (name, prob, lo, hi, p_dup)
            ("empty", 0.015, 0, 0, 0.0),
            ("tiny", 0.015, 1, 15, 0.0),
            ("small", 0.819, 64, 16384, 0.07),
            ("medium", 0.142, 16384, 131072, 0.16),
            ("big", 0.0075, 131072, MiB, 0.35),
            ("mb", 0.0004, MiB, 16 * MiB, 0.45),
        ]
        cum: list[float] = []
        s = 0.0
        for bucket in buckets:
            s += bucket[1]
            cum.append(s)
        self.empty_blob = self.new_blob(("bytes", b""), 0)
        tiny_blobs = [self.new_blob(("bytes", c), len(c)) for c in TINY_CONTENTS]
        temp_names = [
            b"~$%s.docx",
            b".~lock.%s.odt#",
            b"%s.tmp",
            b"%s.bak",
            b"%s~",
            b".%s.swp",
            b"%s.part",
            b"%s.crdownload",
        ]
        while len(self.files) < target:
            bk = rng.choices(buckets, cum_weights=cum, k=1)[0]
            name, _, lo, hi, p_dup = bk
            if name == "empty":
                self.add_file(
                    self.pick_dir(),
                    self.base_name(
                        "tiny", enc(rng.choice([".txt", ".keep", ".lock", ".log", ".py"]))
                    ),
                    self.empty_blob,
                )
                continue
            if name == "tiny":
                self.add_file(
                    self.pick_dir(),
                    self.base_name("tiny", enc(rng.choice(EXT["tiny"]))),
                    rng.choice(tiny_blobs),
                )
                continue
            size = self.sz(lo, hi)
            b = self.rand_blob(size)
            ext = enc(rng.choice(EXT[name]))
            if name in ("small", "medium") and rng.random() < 0.03:
                d = self.pick_dir()
                self.counter += 1
                nm = rng.choice(temp_names) % enc(f"{rng.choice(WORDS)}_{self.counter}")
                self.add_file(d, nm, b, tag="temp")
                continue
            g = (
                rng.choices(GROUP_SIZES, weights=GROUP_WEIGHTS, k=1)[0]
                if rng.random() < p_dup
                else 1
            )
            self.place_copies(b, g, name, ext)

        # per-directory junk: Thumbs.db / .DS_Store / __pycache__
        for d in rng.sample(self.dirs, max(3, len(self.dirs) // 40)):
            nm = rng.choice([b"Thumbs.db", b".DS_Store", b"desktop.ini"])
            if nm not in self.dir_names[d]:
                self.add_file(
                    d, nm, self.rand_blob(rng.choice([4096, 6148, 12288, 16384])), tag="temp"
                )
        for d in rng.sample([x for x in self.dirs if x.startswith(b"Projects")] or self.dirs, 5):
            pc = self.join(d, b"__pycache__")
            if b"__pycache__" in self.dir_names[d]:
                continue
            self.add_dir(pc)
            for _ in range(rng.randint(2, 6)):
                self.counter += 1
                self.add_file(
                    pc,
                    b"mod%d.cpython-311.pyc" % self.counter,
                    self.rand_blob(loguniform(rng, 300, 40000)),
                    tag="temp",
                )

        self.plan_specials()

    def plan_specials(self) -> None:
        rng = self.rng
        dup_files = [i for i in range(len(self.files)) if self.blob_size[self.files[i][1]] > 0]
        # choose a few existing duplicate blobs to reuse (so specials land inside real groups)
        by_blob: defaultdict[int, list[int]] = defaultdict(list)
        for i in dup_files:
            by_blob[self.files[i][1]].append(i)
        multi = [
            b for b, members in by_blob.items() if len(members) >= 2 and self.blob_size[b] < 4 * MiB
        ]
        multi.sort()
        single = [
            b for b, members in by_blob.items() if len(members) == 1 and self.blob_size[b] < 4 * MiB
        ]
        single.sort()

        # non-UTF-8 (Latin-1) names, in a non-UTF-8 directory too
        d = b"Archive/Latin1_\xe9t\xe9"
        self.add_dir(d)
        latin = [
            b"r\xe9sum\xe9.txt",
            b"caf\xe9.doc",
            b"na\xefve.pdf",
            b"\xc0 lire.txt",
            b"fa\xe7ade.jpg",
            b"\xfcber.txt",
            b"se\xf1or.csv",
            b"gar\xe7on.odt",
        ]
        for k, nm in enumerate(latin):
            b = rng.choice(multi) if k % 2 == 0 else self.rand_blob(loguniform(rng, 100, 50000))
            self.add_file(d if k < 5 else b"Documents", nm, b, tag="nonutf8")
        # an exact pair where both names are non-UTF-8
        b = self.rand_blob(12345)
        self.add_file(d, b"copie_\xe9_1.bin", b, tag="nonutf8")
        self.add_file(d, b"copie_\xe9_2.bin", b, tag="nonutf8")

        # hostile-but-legal names, each a member of a duplicate group
        weird = [
            b"Rapport final\nv2.txt",
            b" leading space.txt",
            b"trailing space .txt",
            b"-rf.txt",
            b"it's a 'quote'.txt",
            b"$(echo pwned).txt",
            b"back\\slash.txt",
            b"tab\tname.txt",
            b"*glob?[x].txt",
            b'double "quote".txt',
            b"semi;colon&amp.txt",
            b"\xe2\x80\x8bzero-width.txt",
        ]
        wd = b"Desktop/noms bizarres"
        self.add_dir(wd)
        wblob = self.rand_blob(7777)
        self.add_file(b"Desktop", b"original for weird names.txt", wblob, tag="weird")
        for nm in weird:
            b = wblob if rng.random() < 0.5 else rng.choice(multi)
            self.add_file(wd, nm, b, tag="weird")

        # unreadable file (a duplicate member) and unreadable dir containing a duplicate
        self.add_dir(b"Private")
        ub = rng.choice(multi)
        self.unreadable_files.append(
            self.add_file(b"Private", b"secret_copy.pdf", ub, tag="unreadable")
        )
        self.add_dir(b"Private/locked")
        self.add_file(
            b"Private/locked", b"inside_locked_dir.txt", rng.choice(multi), tag="unreadable"
        )
        self.unreadable_dirs.append(b"Private/locked")

        # hardlinks: half to duplicate members, half to unique files
        n_hl = max(4, self.n // 200)
        for j in range(n_hl):
            if j % 2 == 0:
                b = rng.choice(multi)
                src = rng.choice(by_blob[b])
            else:
                b = rng.choice(single)
                src = by_blob[b][0]
            d = self.pick_dir()
            nm = self.uniq_name(d, b"hardlink_%d_" % j + self.files[src][0].rsplit(b"/", 1)[-1])
            self.hardlinks.append((self.join(d, nm), src))
        # a group that is only hardlinks of a single inode (must NOT be a duplicate group)
        b = self.rand_blob(54321)
        src = self.add_file(b"Shared", b"hardlinked_only.dat", b)
        for k in range(3):
            self.hardlinks.append((b"Shared/hardlinked_only_link%d.dat" % k, src))
            self.dir_names[b"Shared"].add(b"hardlinked_only_link%d.dat" % k)

        # symlinks (relative): to files (incl. duplicate members), to dirs, dangling, loops
        n_sl = max(6, self.n // 300)
        for j in range(n_sl):
            src = self.files[rng.choice(dup_files)][0]
            d = self.pick_dir()
            nm = self.uniq_name(d, b"link_%d" % j)
            rel = os.path.relpath(src, d if d else b".")
            self.symlinks.append((self.join(d, nm), rel))
        self.add_dir(b"Misc/loop")
        for nm, tgt in (
            (b"self", b"."),
            (b"up", b".."),
            (b"a", b"b"),
            (b"b", b"a"),
            (b"dangling", b"does/not/exist"),
            (b"to_pictures", b"../../Pictures"),
        ):
            self.dir_names[b"Misc/loop"].add(nm)
            self.symlinks.append((b"Misc/loop/" + nm, tgt))
        self.symlinks.append((b"Desktop/Raccourci Documents", b"../Documents"))
        self.dir_names[b"Desktop"].add(b"Raccourci Documents")
        # FIFO
        self.fifos.append(self.join(b"Downloads", self.uniq_name(b"Downloads", b"named_pipe.fifo")))
        self.fifos.append(self.join(b"tmp", self.uniq_name(b"tmp", b"app.sock.fifo")))

    # ---------------------------------------------------------------- write
    def write(self, root: str) -> None:
        t = time.time()
        self.pool = random.Random(self.seed ^ 0x5EED5EED).randbytes(POOL_SIZE)
        rootb = os.fsencode(root)
        for d in self.dirs:
            os.makedirs(os.path.join(rootb, d), exist_ok=True)
        self.blob_digest = [None] * len(self.blobs)
        written = 0
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        for i, (path, blob, mt, _tag) in enumerate(self.files):
            full = os.path.join(rootb, path)
            fd = os.open(full, flags, 0o644)
            h = hashlib.blake2b(digest_size=20) if self.blob_digest[blob] is None else None
            try:
                batch: list[bytes | memoryview] = []
                bsize = 0
                for part in self.iter_spec(self.blobs[blob]):
                    batch.append(part)
                    bsize += len(part)
                    if h is not None:
                        h.update(part)
                    if bsize >= CHUNK:
                        self._writev(fd, batch)
                        batch, bsize = [], 0
                if batch:
                    self._writev(fd, batch)
            finally:
                os.close(fd)
            if h is not None:
                self.blob_digest[blob] = h.hexdigest()
            written += self.blob_size[blob]
            os.utime(full, (mt, mt))
            if i % 20000 == 0 and i:
                print(
                    f"  {i} files, {written / 1e9:.2f} GB, {time.time() - t:.0f}s",
                    file=sys.stderr,
                )
        for path, src in self.hardlinks:
            os.link(os.path.join(rootb, self.files[src][0]), os.path.join(rootb, path))
        for path, tgt in self.symlinks:
            os.symlink(tgt, os.path.join(rootb, path))
        for path in self.fifos:
            os.mkfifo(os.path.join(rootb, path))
        for i in self.unreadable_files:
            os.chmod(os.path.join(rootb, self.files[i][0]), 0)
        for d in self.unreadable_dirs:
            os.chmod(os.path.join(rootb, d), 0)
        print(
            f"  wrote {len(self.files)} files, {written / 1e9:.2f} GB in {time.time() - t:.0f}s",
            file=sys.stderr,
        )

    @staticmethod
    def _writev(fd: int, parts: list[bytes | memoryview]) -> None:
        total = sum(len(p) for p in parts)
        n = os.writev(fd, parts)
        if n != total:  # short write: finish the rest
            data = b"".join(bytes(p) for p in parts)[n:]
            while data:
                k = os.write(fd, data)
                data = data[k:]

    # ---------------------------------------------------------------- truth
    def truth(
        self, out_dir: str | None, written: bool = True
    ) -> tuple[dict[str, Any], list[tuple[int, list[int]]] | None]:
        inode_paths: defaultdict[int, list[bytes]] = defaultdict(list)
        for i, fe in enumerate(self.files):
            inode_paths[i].append(fe[0])
        for path, src in self.hardlinks:
            inode_paths[src].append(path)
        key = self.blob_digest if written else list(range(len(self.blobs)))

        def hidden(p: bytes) -> bool:
            return any(c.startswith(b".") for c in p.split(b"/"))

        def stats(
            inodes: list[int], paths_of: Callable[[int], list[Any]], include_empty: bool
        ) -> tuple[dict[str, int], list[tuple[int, list[int]]]]:
            groups: defaultdict[tuple[int, object], list[int]] = defaultdict(list)
            for i in inodes:
                b = self.files[i][1]
                sz = self.blob_size[b]
                if sz == 0 and not include_empty:
                    continue
                groups[(sz, key[b])].append(i)
            res = {
                "groups": 0,
                "redundant_files": 0,
                "redundant_bytes": 0,
                "files_in_groups": 0,
                "bytes_in_groups": 0,
            }
            glist = []
            for (sz, _), members in groups.items():
                n = sum(len(paths_of(i)) for i in members)
                if n < 2:
                    continue
                res["groups"] += 1
                res["redundant_files"] += n - 1
                res["redundant_bytes"] += sz * (n - 1)
                res["files_in_groups"] += n
                res["bytes_in_groups"] += sz * n
                glist.append((sz, members))
            return res, glist

        all_inodes = list(range(len(self.files)))

        def by_inode(i: int) -> list[Any]:  # one per inode
            return [0]

        def by_path(i: int) -> list[Any]:  # every hardlink path counts
            return list(inode_paths[i])

        def vis_paths(i: int) -> list[Any]:
            return [p for p in inode_paths[i] if not hidden(p)]

        vis_inodes = [i for i in all_inodes if vis_paths(i)]
        excl, glist = stats(all_inodes, by_inode, False)
        incl, _ = stats(all_inodes, by_inode, True)
        pathb, _ = stats(all_inodes, by_path, False)
        pathb_e, _ = stats(all_inodes, by_path, True)
        vis, _ = stats(vis_inodes, lambda i: [0], False)
        vis_path, _ = stats(vis_inodes, vis_paths, False)

        total_bytes = sum(self.blob_size[fe[1]] for fe in self.files)
        n_paths = len(self.files) + len(self.hardlinks)
        tags: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for fe in self.files:
            if fe[3]:
                tags[fe[3]][0] += 1
                tags[fe[3]][1] += self.blob_size[fe[1]]
        years: defaultdict[int, int] = defaultdict(int)
        for fe in self.files:
            years[time.gmtime(fe[2]).tm_year] += 1
        sizes: defaultdict[int, int] = defaultdict(int)
        size_hist: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
        for fe in self.files:
            s = self.blob_size[fe[1]]
            sizes[s] += 1
            b = (
                "0"
                if s == 0
                else "<16K"
                if s < 16384
                else "<1M"
                if s < MiB
                else "<16M"
                if s < 16 * MiB
                else ">=16M"
            )
            size_hist[b][0] += 1
            size_hist[b][1] += s

        def esc(p: bytes) -> str:
            return p.decode("utf-8", "backslashreplace")

        t = {
            "generator": {
                "version": GEN_VERSION,
                "seed": self.seed,
                "files_arg": self.n,
                "large": self.large,
                "size_scale": self.ss,
            },
            "tree": "tree",
            "conventions": (
                "file = inode; symlinks/FIFOs/dirs are not files;"
                " group = >=2 distinct inodes with identical content; redundant = n-1 per group"
            ),
            "counts": {
                "regular_file_paths": n_paths,
                "inodes": len(self.files),
                "extra_hardlink_paths": len(self.hardlinks),
                "symlinks": len(self.symlinks),
                "fifos": len(self.fifos),
                "dirs": len(self.dirs) + 1,
                "total_bytes": total_bytes,
                "empty_files": sizes.get(0, 0),
                "distinct_sizes": len(sizes),
                "files_sharing_size_with_another": sum(c for s, c in sizes.items() if c > 1),
            },
            "size_histogram": {
                k: {"files": v[0], "bytes": v[1]} for k, v in sorted(size_hist.items())
            },
            "duplicates": excl,
            "duplicates_including_empty_files": incl,
            "duplicates_by_path_hardlinks_as_copies": pathb,
            "duplicates_by_path_hardlinks_as_copies_including_empty": pathb_e,
            "duplicates_excluding_hidden_paths": vis,
            "duplicates_excluding_hidden_paths_by_path": vis_path,
            "redundant_fraction_of_bytes": round(excl["redundant_bytes"] / total_bytes, 4)
            if total_bytes
            else 0,
            "bytes_in_dup_groups_fraction": round(excl["bytes_in_groups"] / total_bytes, 4)
            if total_bytes
            else 0,
            "tags": {k: {"files": v[0], "bytes": v[1]} for k, v in sorted(tags.items())},
            "mtime_years": dict(sorted(years.items())),
            "large_files": [
                {"path": esc(self.files[i][0]), "size": self.blob_size[self.files[i][1]]}
                for i in self.large_files
            ],
            "specials": {
                "fifos": [esc(p) for p in self.fifos],
                "unreadable_files_chmod000": [esc(self.files[i][0]) for i in self.unreadable_files],
                "unreadable_dirs_chmod000": [esc(d) for d in self.unreadable_dirs],
                "symlink_loops": [
                    "Misc/loop/self -> .",
                    "Misc/loop/up -> ..",
                    "Misc/loop/a -> b",
                    "Misc/loop/b -> a",
                ],
                "dangling_symlinks": ["Misc/loop/dangling"],
                "dir_symlinks": [
                    "Misc/loop/to_pictures -> ../../Pictures",
                    "Desktop/Raccourci Documents -> ../Documents",
                ],
                "hardlinked_only_inode": (
                    "Shared/hardlinked_only.dat (+3 links): not a duplicate group"
                ),
                "deep_dir": esc(self.deep_dir),
                "note_root": (
                    "root ignores chmod 000, so as root these are readable and part of the truth"
                ),
            },
        }
        if out_dir is None:
            return t, None
        with open(os.path.join(out_dir, "ground_truth.json"), "w") as fh:
            json.dump(t, fh, indent=1, sort_keys=False)
        with open(os.path.join(out_dir, "ground_truth_groups.jsonl"), "w") as fh:
            for sz, members in sorted(glist, key=lambda x: (-x[0], x[1])):
                fh.write(
                    json.dumps(
                        {
                            "size": sz,
                            "inodes": [[os.fsdecode(p) for p in inode_paths[i]] for i in members],
                        }
                    )
                    + "\n"
                )
        return t, glist


def verify(out_dir: str) -> bool:
    """Independent re-derivation of the main truth numbers from what is on disk."""
    root = os.fsencode(os.path.join(out_dir, "tree"))
    with open(os.path.join(out_dir, "ground_truth.json")) as fh:
        t = json.load(fh)
    seen: dict[tuple[int, int], tuple[int, bytes]] = {}
    paths = 0
    for dp, dns, fns in os.walk(root):
        for nm in fns + dns:
            p = os.path.join(dp, nm)
            st = os.lstat(p)
            if stat.S_ISREG(st.st_mode):
                paths += 1
                seen.setdefault((st.st_dev, st.st_ino), (st.st_size, p))
    by_size: defaultdict[int, list[bytes]] = defaultdict(list)
    for sz, p in seen.values():
        by_size[sz].append(p)
    groups = red = redb = 0
    for sz, ps in by_size.items():
        if sz == 0 or len(ps) < 2:
            continue
        byh: defaultdict[bytes, int] = defaultdict(int)
        for p in ps:
            h = hashlib.blake2b(digest_size=20)
            with open(p, "rb") as fh:
                while True:
                    b = fh.read(1 << 20)
                    if not b:
                        break
                    h.update(b)
            byh[h.digest()] += 1
        for n in byh.values():
            if n > 1:
                groups += 1
                red += n - 1
                redb += sz * (n - 1)
    got = {
        "regular_file_paths": paths,
        "inodes": len(seen),
        "groups": groups,
        "redundant_files": red,
        "redundant_bytes": redb,
    }
    want = {
        "regular_file_paths": t["counts"]["regular_file_paths"],
        "inodes": t["counts"]["inodes"],
        "groups": t["duplicates"]["groups"],
        "redundant_files": t["duplicates"]["redundant_files"],
        "redundant_bytes": t["duplicates"]["redundant_bytes"],
    }
    print(json.dumps({"on_disk": got, "truth": want, "match": got == want}, indent=1))
    return got == want


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "out_dir",
        nargs="?",
        default=os.environ.get("CORPUS_DIR"),
        help="output folder (tree/ and ground_truth*.json go inside); default $CORPUS_DIR",
    )
    ap.add_argument(
        "--files",
        type=int,
        default=200000,
        help="approximate number of regular file paths (default 200000)",
    )
    ap.add_argument("--seed", type=int, default=20240316)
    ap.add_argument(
        "--large",
        type=int,
        default=None,
        help="number of 50-200 MB slots (default round(4*files/200000))",
    )
    ap.add_argument(
        "--size-scale",
        type=float,
        default=1.0,
        help=(
            "multiply ordinary/variant/large file sizes"
            " (e.g. 0.1 for a metadata-heavy million-file tree)"
        ),
    )
    ap.add_argument(
        "--dry-run", action="store_true", help="plan only, print the truth summary, write nothing"
    )
    ap.add_argument("--force", action="store_true", help="delete an existing OUT_DIR/tree first")
    ap.add_argument(
        "--verify",
        action="store_true",
        help="re-derive truth from disk and compare (slow: hashes all size-colliding files)",
    )
    a = ap.parse_args()
    if not a.out_dir:
        ap.error("give OUT_DIR or set CORPUS_DIR")
    if a.verify:
        sys.exit(0 if verify(a.out_dir) else 1)
    t0 = time.time()
    c = Corpus(a.files, a.seed, a.large, a.size_scale)
    c.plan()
    print(
        f"planned {len(c.files)} inodes, {len(c.hardlinks)} hardlinks, {len(c.symlinks)} symlinks,"
        f" {len(c.dirs)} dirs in {time.time() - t0:.1f}s",
        file=sys.stderr,
    )
    if a.dry_run:
        t, _ = c.truth(None, written=False)
        print(
            json.dumps(
                {
                    k: t[k]
                    for k in (
                        "counts",
                        "size_histogram",
                        "duplicates",
                        "redundant_fraction_of_bytes",
                        "bytes_in_dup_groups_fraction",
                        "tags",
                    )
                },
                indent=1,
            )
        )
        return
    tree = os.path.join(a.out_dir, "tree")
    if os.path.lexists(tree):
        if not a.force:
            sys.exit(f"{tree} exists; use --force to replace it")
        for dp, dns, _fns in os.walk(tree):
            for d in dns:
                p = os.path.join(dp, d)
                if not os.path.islink(p):
                    os.chmod(p, 0o755)
        shutil.rmtree(tree)
    os.makedirs(tree)
    c.write(tree)
    t, _ = c.truth(a.out_dir)
    print(
        json.dumps(
            {
                "duplicates": t["duplicates"],
                "total_bytes": t["counts"]["total_bytes"],
                "redundant_fraction_of_bytes": t["redundant_fraction_of_bytes"],
                "seconds": round(time.time() - t0, 1),
            },
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
