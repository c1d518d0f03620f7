"""Planning near-duplicate photos: which photos go, which stays, and their plan lines.

A group of similar photos (or a burst) keeps its best shot, as the analysis chose it
(the most pixels, then the sharpest, then the largest file); when the person chose
which photos go, the best of the others stays. The kept photo's fingerprint (its
identity and content hash, :mod:`menage.clean.photo_keep`) is read when the plan is
made: a group whose kept photo changed since the scan, or goes with another finding,
is left out rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from menage.clean.photo_keep import is_keep_fingerprint, keep_fingerprint
from menage.files.names import escape
from menage.findings import FileItem, Finding
from menage.i18n import N_, _

#: the findings whose actions are near-duplicate photos
PHOTO_FINDINGS = ("similar_photos", "bursts")

_BEST_REASONS = {
    "resolution": N_("the most pixels"),
    "sharpness": N_("the sharpest"),
    "size": N_("the largest file"),
    "chosen": N_("you chose the others"),
}


@dataclass(frozen=True)
class PhotoChoice:
    """What a plan does with one group of near-duplicate photos."""

    keep: bytes
    #: why that photo stays: resolution, sharpness, size, or chosen
    why: str
    fingerprint: dict[str, Any]
    removed: list[FileItem]
    #: every photo of the group that stays (the kept one and those not chosen)
    staying: list[bytes]


def choose(
    finding: Finding, remove: Collection[int] | None, unavailable: Callable[[bytes], bool]
) -> PhotoChoice | None:
    """The photos of ``finding`` that go (all but the best, or those at ``remove``,
    positions from 0) and the one kept; None when the group must be left out.

    Args:
        unavailable: whether a path is already taken by another action or is in
            Ménage's own folders (the kept photo may not be).
    """
    files = [item for item in finding.items if isinstance(item, FileItem)]
    best = int(getattr(finding, "best", 1)) - 1
    chosen = set(range(len(files))) - {best} if remove is None else set(remove)
    staying = [n for n in range(len(files)) if n not in chosen]
    if not staying or not chosen:
        return None
    keep_at = best if best in staying else staying[0]
    kept = files[keep_at]
    if unavailable(kept.path):
        return None
    fingerprint = keep_fingerprint(kept.path, kept.device, kept.inode, kept.size, kept.mtime_ns)
    if fingerprint is None:
        return None
    return PhotoChoice(
        keep=kept.path,
        why=str(getattr(finding, "reason", "")) if keep_at == best else "chosen",
        fingerprint=fingerprint,
        removed=[files[n] for n in sorted(chosen)],
        staying=[files[n].path for n in staying],
    )


def group_title(group: int | None, keep: bytes | None, detail: str | None) -> str:
    """The plan file's comment above a group of near-duplicate photos."""
    why = _BEST_REASONS.get(detail or "")
    return _("group {n}: keep {path} ({why}); look at the photos, then confirm each line").format(
        n=group, path=escape(keep or b""), why=_(why) if why else detail or ""
    )


def photo_fields(
    data: dict[str, Any], finding: str, kind: str, keep: bytes | None, fail: Any
) -> tuple[dict[str, Any] | None, bool | None] | None:
    """A plan line's kept photo fingerprint and confirmation: (None, None) for an action
    that is not a near-duplicate photo; None after ``fail(message)`` for a mistake."""
    if finding not in PHOTO_FINDINGS:
        if "keep_fingerprint" in data or "confirmed" in data:
            fail(_('"keep_fingerprint" and "confirmed" are for similar photos only'))
            return None
        return None, None
    if kind not in ("quarantine", "trash"):
        fail(_("a similar photo can only go to the quarantine or the trash"))
        return None
    if keep is None or not is_keep_fingerprint(data.get("keep_fingerprint")):
        fail(_('a similar photo needs its kept photo ("keep", "keep_fingerprint" from the plan)'))
        return None
    confirmed = data.get("confirmed", False)
    if not isinstance(confirmed, bool):
        fail(_('"confirmed" must be true or false'))
        return None
    return data["keep_fingerprint"], confirmed
