"""The findings model, owned by the engine: typed findings, their kinds, their JSON
form, and the registry of the analysers that make them.

A source yields entries (files today; mail messages and photos later); the analysers
registered for it turn them into findings (:class:`Finding`), one list per kind
(:class:`Findings`). Reports render them, the index stores them (in their JSON form,
:mod:`menage.findings.jsonform`) and plans are built from them. Each kind is declared
once (:class:`FindingKind`; the kinds Ménage ships are in ``file_kinds``, ``photo_kinds``
and ``mail_kinds``): a new analyser brings its kinds, and every report, plan and JSON shows them.
"""

from menage.findings.analysers import (
    Analyser,
    analysers,
    register_analyser,
    run_analysers,
    unregister_analyser,
)
from menage.findings.file_kinds import (
    BigFile,
    DuplicateFolders,
    Duplicates,
    EmptyFile,
    EmptyFolder,
    OldFile,
    SingleFile,
    TempFile,
)
from menage.findings.jsonform import (
    SCHEMA,
    ScanFindings,
    read_findings,
    read_scan,
    section,
    sections,
)
from menage.findings.lists import (
    Covered,
    FindingList,
    Findings,
    Reclaimable,
    StoredFindings,
    UnknownFinding,
)
from menage.findings.mail_kinds import BigAttachment, MailDuplicates, Newsletter, Sender
from menage.findings.model import (
    Field,
    FileItem,
    Finding,
    FindingKind,
    FolderItem,
    Item,
    MessageItem,
    Totals,
    UnknownKind,
    all_kinds,
    kind_of,
    register_kind,
    unregister_kind,
)
from menage.findings.photo_kinds import BigVideo, BlurryPhoto, Burst, Screenshot, SimilarPhotos

__all__ = [
    "Analyser",
    "BigAttachment",
    "BigFile",
    "BigVideo",
    "BlurryPhoto",
    "Burst",
    "Covered",
    "DuplicateFolders",
    "Duplicates",
    "EmptyFile",
    "EmptyFolder",
    "Field",
    "FileItem",
    "Finding",
    "FindingKind",
    "FindingList",
    "Findings",
    "FolderItem",
    "Item",
    "MailDuplicates",
    "MessageItem",
    "Newsletter",
    "OldFile",
    "Reclaimable",
    "SCHEMA",
    "ScanFindings",
    "Screenshot",
    "Sender",
    "SimilarPhotos",
    "SingleFile",
    "StoredFindings",
    "TempFile",
    "Totals",
    "UnknownFinding",
    "UnknownKind",
    "all_kinds",
    "analysers",
    "kind_of",
    "read_findings",
    "read_scan",
    "register_analyser",
    "register_kind",
    "run_analysers",
    "section",
    "sections",
    "unregister_analyser",
    "unregister_kind",
]
