"""``analyse``: the photo analysis of folders, from the walk to the findings.

Photos not in the cache (or changed since) are decoded in worker processes, one per
core; the rest come from the cache. Findings:

* **bursts**: photos taken within :attr:`PhotoOptions.burst_seconds` of the previous
  one (EXIF DateTimeOriginal, else the file's mtime) whose pHashes are within
  :data:`BURST_PHASH_MAX` bits (a burst moves a little between shots); photos that
  all share one time are copies written together, not a burst;
* **similar**: groups of near-identical photos (:mod:`menage.photos.similar`), less
  those that are one burst already;
* **best shot** of each group: the most pixels, then the sharpest, then the largest file;
* **blurry**: a sharpness (variance of the Laplacian at 512 px) below
  :attr:`PhotoOptions.blur_threshold` (see :data:`BLUR_THRESHOLD`);
* **screenshots** (:func:`menage.photos.media.screenshot_reason`) and **videos** of
  :attr:`PhotoOptions.video_min_size` or more, with durations when ``ffprobe`` exists.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from menage.errors import PathNotFound
from menage.i18n import N_, _
from menage.photos import media
from menage.photos.cache import PhotoCache
from menage.photos.decode import Decoded, DecodeFailure, decode
from menage.photos.findings import (
    Burst,
    Group,
    Photo,
    PhotoError,
    PhotoFindings,
    Screenshot,
    Video,
)
from menage.photos.hashing import distance
from menage.photos.origin import origins
from menage.photos.similar import similar_groups

#: below this variance of the Laplacian (greyscale, 512 px a side) a photo is blurry:
#: a sharp photo of a scene measures several hundred; the same photo through a
#: Gaussian blur of radius 2 px at that scale mostly under 20 (bench/run_photos.py
#: calibrates it). Flat scenes (fog, a white wall) can measure low too: it is a
#: proposal to look at, never removed on this rule alone.
BLUR_THRESHOLD = 25.0
BURST_PHASH_MAX = 18
#: fewer photos to decode than this: decode in this process (workers cost a start-up)
_POOL_MIN = 16

#: progress callback: (stage, done, total)
Progress = Callable[[str, int, int | None], None]

_REASONS = {
    "empty": N_("empty file (0 bytes)"),
    "unidentified": N_("not an image Ménage can read (unknown or damaged format)"),
    "truncated": N_("truncated image (the file is incomplete)"),
    "corrupt": N_("damaged image"),
    "too-large": N_("image too large to decode safely (possible decompression bomb)"),
    "unreadable": N_("cannot be read"),
    "raw": N_("camera RAW format is not supported: skipped"),
    "walk": N_("cannot be listed"),
}


@dataclass(frozen=True, slots=True)
class PhotoOptions:
    """What :func:`analyse` looks for."""

    burst_seconds: float = 3.0
    blur_threshold: float = BLUR_THRESHOLD
    video_min_size: int = 100_000_000
    #: worker processes for decoding (0: one per CPU)
    workers: int = 0
    #: a folder never entered (Ménage's home)
    skip: str | None = None
    #: look for mirror images too
    mirrors: bool = True


def _message(reason: str, detail: str = "") -> str:
    text = _(_REASONS.get(reason, reason))
    return f"{text} ({detail})" if detail and reason in ("corrupt", "truncated", "walk") else text


def _context() -> multiprocessing.context.BaseContext:
    # fork starts a worker in milliseconds, with Pillow and numpy already imported; it is
    # unsafe only when this process runs other threads (they would be copied mid-work),
    # then workers fork from a server that imported Pillow and numpy once (seconds)
    if threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["menage.photos.decode"])
    return context


def _decode_all(
    paths: Sequence[bytes], workers: int, progress: Progress | None
) -> Iterator[tuple[int, Decoded | DecodeFailure]]:
    workers = workers or os.cpu_count() or 1
    done = 0
    if workers > 1 and len(paths) >= _POOL_MIN:
        chunk = max(1, min(32, len(paths) // (workers * 8)))
        try:
            context = _context()
            with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
                for result in pool.map(decode, paths, chunksize=chunk):
                    yield done, result
                    done += 1
                    if progress is not None:
                        progress("decode", done, len(paths))
            return
        except (BrokenProcessPool, OSError):
            # a worker died (out of memory, killed): finish in this process
            pass
    for i in range(done, len(paths)):
        yield i, decode(paths[i])
        if progress is not None:
            progress("decode", i + 1, len(paths))


def _best(photos: Sequence[Photo]) -> tuple[Photo, str]:
    ranked = sorted(photos, key=lambda p: (p.pixels, p.sharpness, p.size), reverse=True)
    best, second = ranked[0], ranked[1]
    if best.pixels > second.pixels:
        return best, "resolution"
    if best.sharpness > second.sharpness:
        return best, "sharpness"
    return best, "size"


def _bursts(photos: Sequence[Photo], phashes: Sequence[int], seconds: float) -> list[list[int]]:
    order = sorted(range(len(photos)), key=lambda i: (photos[i].taken, photos[i].path))
    groups: list[list[int]] = []
    current: list[int] = []

    def close() -> None:
        # one shared time is copies written together, not a burst (times are whole seconds)
        if len(current) > 1 and photos[current[-1]].taken > photos[current[0]].taken:
            groups.append(current)

    for i in order:
        if (
            current
            and photos[i].taken - photos[current[-1]].taken <= seconds
            and distance(phashes[i], phashes[current[-1]]) <= BURST_PHASH_MAX
        ):
            current.append(i)
            continue
        close()
        current = [i]
    close()
    return groups


def analyse(
    paths: Sequence[str | bytes | os.PathLike[str]],
    options: PhotoOptions | None = None,
    cache: PhotoCache | None = None,
    progress: Progress | None = None,
) -> PhotoFindings:
    """Analyse the photos and videos below ``paths``.

    Args:
        paths: folders (or files) to look at: a copied DCIM folder, a cloud export.
        options: thresholds and workers.
        cache: the photo cache (None: an in-memory one, so nothing is remembered).
        progress: called with (stage, done, total) as the analysis goes.

    Returns:
        The findings; files that could not be read are in ``errors``, never lost.

    Raises:
        PathNotFound: a path does not exist.
    """
    options = options or PhotoOptions()
    roots = [os.fsencode(p) for p in paths]
    for root in roots:
        if not os.path.lexists(root):
            raise PathNotFound(path=os.fsdecode(root))
    own_cache = cache is None
    cache = cache or PhotoCache(None)
    try:
        return _analyse(roots, options, cache, progress)
    finally:
        if own_cache:
            cache.__exit__(None, None, None)


def _analyse(
    roots: list[bytes], options: PhotoOptions, cache: PhotoCache, progress: Progress | None
) -> PhotoFindings:
    skip = os.fsencode(os.path.realpath(options.skip)) if options.skip else None
    walk_errors: list[tuple[bytes, str]] = []
    entries: dict[bytes, media.Entry] = {}
    for root in roots:
        for entry in media.walk(root, skip, walk_errors):
            entries.setdefault(entry.path, entry)
            if progress is not None:
                progress("walk", len(entries), None)
    found = analyse_entries(roots, list(entries.values()), options, cache, progress)
    found.where = origins(roots)
    found.errors.extend(PhotoError(p, "walk", _message("walk", m)) for p, m in walk_errors)
    found.errors.sort(key=lambda e: e.path)
    return found


def analyse_entries(
    roots: Sequence[bytes],
    listed: Sequence[media.Entry],
    options: PhotoOptions,
    cache: PhotoCache,
    progress: Progress | None = None,
) -> PhotoFindings:
    """Analyse media files already listed (by the walk, or by a files scan's tree).

    Args:
        roots: the folders they were found in (kept with the findings).
        listed: the photos, videos and RAW files, each once.
        options: thresholds and workers.
        cache: the photo cache: photos unchanged since it saw them are not decoded.
        progress: called with (stage, done, total).
    """
    found = PhotoFindings(
        roots=list(roots),
        burst_seconds=options.burst_seconds,
        blur_threshold=options.blur_threshold,
        video_min_size=options.video_min_size,
    )
    entries = {entry.path: entry for entry in listed}
    measured: dict[bytes, Decoded] = {}
    to_decode: list[bytes] = []
    for path, entry in entries.items():
        if entry.kind == "raw":
            found.errors.append(PhotoError(path, "raw", _message("raw")))
        elif entry.kind == "photo":
            hit = cache.lookup(path, entry.key)
            if hit is None:
                to_decode.append(path)
            else:
                measured[path] = hit
    found.from_cache = len(measured)
    fresh: list[tuple[bytes, tuple[int, int, int, int], Decoded]] = []
    for i, result in _decode_all(to_decode, options.workers, progress):
        path = to_decode[i]
        if isinstance(result, DecodeFailure):
            found.errors.append(
                PhotoError(path, result.reason, _message(result.reason, result.detail))
            )
        else:
            measured[path] = result
            fresh.append((path, entries[path].key, result))
    found.decoded = len(fresh)
    cache.store(fresh)

    _find(found, entries, measured, options)
    found.errors.sort(key=lambda e: e.path)
    return found


def _find(
    found: PhotoFindings,
    entries: dict[bytes, media.Entry],
    measured: dict[bytes, Decoded],
    options: PhotoOptions,
) -> None:
    paths = sorted(measured)
    decoded = [measured[p] for p in paths]
    photos = [
        Photo(
            path=p,
            size=entries[p].size,
            width=d.width,
            height=d.height,
            format=d.format,
            sharpness=d.sharpness,
            taken=d.taken if d.taken is not None else float(entries[p].mtime_ns // 1_000_000_000),
            camera=d.camera,
        )
        for p, d in zip(paths, decoded, strict=True)
    ]
    found.photos = len(photos)
    phashes = [d.phash for d in decoded]

    burst_sets: list[frozenset[int]] = []
    for members in _bursts(photos, phashes, options.burst_seconds):
        burst_sets.append(frozenset(members))
        group = [photos[i] for i in members]
        best, reason = _best(group)
        found.bursts.append(Burst(tuple(group), best, reason))
    mirrors = [d.phash_mirror for d in decoded] if options.mirrors else None
    for members in similar_groups(phashes, [d.dhash for d in decoded], mirrors):
        if any(set(members) <= b for b in burst_sets):
            continue
        group = [photos[i] for i in members]
        best, reason = _best(group)
        found.similar.append(Group(tuple(group), best, reason))
    found.similar.sort(key=lambda g: -g.reclaimable_bytes)

    for photo in photos:
        why = media.screenshot_reason(
            photo.path, photo.format, photo.width, photo.height, photo.camera
        )
        if why is not None:
            found.screenshots.append(Screenshot(photo, why))
        elif photo.sharpness < options.blur_threshold:
            found.blurry.append(photo)

    videos = [e for e in entries.values() if e.kind == "video"]
    found.videos_seen = len(videos)
    command = media.ffprobe()
    found.ffprobe = command is not None
    for entry in sorted(videos, key=lambda e: (-e.size, e.path)):
        if entry.size >= options.video_min_size:
            length = media.duration(command, entry.path) if command else None
            found.videos.append(Video(entry.path, entry.size, length))
