"""The configuration file: defaults a person or an IT team sets once.

Where it is, first found wins:

1. ``--config FILE`` (before the command: ``menage --config FILE scan ...``);
2. ``$MENAGE_CONFIG``;
3. ``config.toml`` in the platform's user configuration folder (``platformdirs``):
   ``$XDG_CONFIG_HOME/menage/config.toml`` or ``~/.config/menage/config.toml`` on
   Linux, ``~/Library/Application Support/menage/config.toml`` on macOS,
   ``%LOCALAPPDATA%\\menage\\config.toml`` on Windows.

A file named by 1 or 2 must exist; the default one may not (then every default holds).
It is TOML (read with :mod:`tomllib`); every key is optional::

    language = "fr"                      # or "en"; --lang and MENAGE_LANG win

    [scan]
    exclude = ["*.iso", "node_modules"]  # added to every scan's --exclude

    [plan]
    keep = ["in ~/Documents", "oldest"]  # the --keep rules when none is given
    archives = ["/srv/partage/Archives"] # folders no plan ever touches

    [quarantine]
    retention = "30d"                    # then a purge is proposed (never run alone)

A folder is also marked as archives by a file named ``.menage-archives`` in it
(:data:`ARCHIVES_MARKER`). A file that cannot be read, is not TOML, or has an unknown
key or a value of the wrong type is refused with the line and key it is about.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from menage.errors import EXIT_USAGE, MenageError, os_error_text
from menage.i18n import LANGUAGES, N_, _

#: a file of this name marks its folder (and everything below) as archives
ARCHIVES_MARKER = ".menage-archives"
DEFAULT_RETENTION_DAYS = 30.0


class ConfigInvalid(MenageError):
    template = N_("the configuration file {path} cannot be used: {detail}")
    exit_code = EXIT_USAGE


@dataclass(frozen=True)
class Config:
    """The effective configuration, and where it comes from."""

    #: the file read (None: no file, every default holds)
    path: Path | None = None
    #: how the file was chosen: ``--config``, ``MENAGE_CONFIG`` or ``default``
    origin: str = "default"
    language: str | None = None
    exclude: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    archives: tuple[str, ...] = ()
    retention_days: float = DEFAULT_RETENTION_DAYS
    #: the keys the file set, as ``section.key``
    set_keys: frozenset[str] = field(default_factory=frozenset)

    def archive_folders(self) -> tuple[bytes, ...]:
        """The archives folders, absolute, with ``~`` expanded."""
        return tuple(
            os.fsencode(os.path.abspath(os.path.expanduser(folder))) for folder in self.archives
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path) if self.path else None,
            "origin": self.origin,
            "language": self.language,
            "scan": {"exclude": list(self.exclude)},
            "plan": {"keep": list(self.keep), "archives": list(self.archives)},
            "quarantine": {"retention_days": self.retention_days},
            "set": sorted(self.set_keys),
        }


#: set by ``menage --config FILE``
_explicit: Path | None = None
_cache: dict[tuple[str, str, float], Config] = {}


def use_file(path: str | os.PathLike[str] | None) -> None:
    """Read this file instead of the usual one (``--config``)."""
    global _explicit
    _explicit = Path(path) if path is not None else None


def default_path() -> Path:
    """The usual place of the file, whether it exists or not."""
    from platformdirs import user_config_path

    return user_config_path("menage", appauthor=False) / "config.toml"


def config_path() -> tuple[Path, str]:
    """The file to read and how it was chosen (``--config``, ``MENAGE_CONFIG``, ``default``)."""
    if _explicit is not None:
        return _explicit, "--config"
    override = os.environ.get("MENAGE_CONFIG")
    if override:
        return Path(override).expanduser(), "MENAGE_CONFIG"
    return default_path(), "default"


def load() -> Config:
    """The effective configuration (read once per file version).

    Raises:
        ConfigInvalid: the file cannot be read or holds a mistake (exit 2).
    """
    path, origin = config_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        if origin != "default":
            raise ConfigInvalid(path=str(path), detail=_("there is no such file")) from None
        return Config(origin=origin)
    except OSError as exc:
        raise ConfigInvalid(path=str(path), detail=os_error_text(exc)) from None
    key = (str(path), origin, st.st_mtime)
    if key not in _cache:
        _cache.clear()
        _cache[key] = read(path, origin)
    return _cache[key]


def read(path: Path, origin: str = "--config") -> Config:
    """Read and check one configuration file.

    Raises:
        ConfigInvalid: naming the line (and key) of the first mistake.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigInvalid(path=str(path), detail=os_error_text(exc)) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigInvalid(path=str(path), detail=_("it is not UTF-8 text")) from None
    import tomllib  # only when there is a file to read (4 ms of every start-up otherwise)

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        where = (
            _("line {line}, column {column}").format(line=found[1], column=found[2])
            if found
            else _("somewhere")
        )
        detail = _("{where}: this is not valid TOML ({error})").format(
            where=where, error=re.sub(r"\s*\(at .*\)$", "", str(exc))
        )
        raise ConfigInvalid(path=str(path), detail=detail) from None
    return _check(data, text, path, origin)


_SCHEMA: dict[str, dict[str, str]] = {
    "": {"language": "str"},
    "scan": {"exclude": "list"},
    "plan": {"keep": "list", "archives": "list"},
    "quarantine": {"retention": "duration"},
}


def _line_of(text: str, section: str, key: str) -> int:
    """The line where ``key`` is set (in ``[section]``), for the error message."""
    current = ""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        header = re.match(r"^\[\s*([^\]]+?)\s*\]", stripped)
        if header:
            current = header[1]
            if not key and current == section:
                return number
            continue
        if current == section and re.match(rf"^{re.escape(key)}\s*=", stripped):
            return number
    return 1


def _check(data: dict[str, Any], text: str, path: Path, origin: str) -> Config:
    def fail(section: str, key: str, detail: str) -> ConfigInvalid:
        name = f"{section}.{key}" if section and key else section or key
        return ConfigInvalid(
            path=str(path),
            detail=_("line {line}, {key}: {detail}").format(
                line=_line_of(text, section, key), key=name, detail=detail
            ),
        )

    values: dict[str, Any] = {}
    set_keys: set[str] = set()
    for name, value in data.items():
        if name in _SCHEMA[""]:
            _check_value("", name, value, fail, values)
            set_keys.add(name)
            continue
        if name not in _SCHEMA or not name:
            known = ", ".join(["language", *(s for s in _SCHEMA if s)])
            raise fail("", name, _("unknown key (known: {known})").format(known=known))
        if not isinstance(value, dict):
            raise fail("", name, _("must be a section [{name}]").format(name=name))
        for key, item in value.items():
            if key not in _SCHEMA[name]:
                known = ", ".join(_SCHEMA[name])
                raise fail(name, key, _("unknown key (known: {known})").format(known=known))
            _check_value(name, key, item, fail, values)
            set_keys.add(f"{name}.{key}")
    return Config(
        path=path,
        origin=origin,
        language=values.get("language"),
        exclude=tuple(values.get("scan.exclude", ())),
        keep=tuple(values.get("plan.keep", ())),
        archives=tuple(values.get("plan.archives", ())),
        retention_days=values.get("quarantine.retention", DEFAULT_RETENTION_DAYS),
        set_keys=frozenset(set_keys),
    )


def _check_value(section: str, key: str, value: Any, fail: Any, values: dict[str, Any]) -> None:
    kind = _SCHEMA[section][key]
    name = f"{section}.{key}" if section else key
    if kind == "str":
        if value not in LANGUAGES:
            raise fail(
                section, key, _("must be one of {choices}").format(choices=", ".join(LANGUAGES))
            )
        values[name] = value
    elif kind == "list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise fail(section, key, _('must be a list of texts, like ["a", "b"]'))
        if key == "keep":
            _check_rules(section, key, value, fail)
        values[name] = value
    else:
        values[name] = _retention(section, key, value, fail)


def _check_rules(section: str, key: str, rules: list[str], fail: Any) -> None:
    from menage.clean.rules import BadRule, KeepFolderMissing, parse_rule

    for rule in rules:
        try:
            parse_rule(rule)
        except KeepFolderMissing:
            pass  # a drive not mounted now: said when a plan uses the rule
        except BadRule as exc:
            raise fail(section, key, exc.message) from None


def _retention(section: str, key: str, value: Any, fail: Any) -> float:
    from menage.units import BadValue, parse_age

    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise fail(section, key, _('must be a duration, like "30d", or a number of days'))
    if isinstance(value, str):
        try:
            days = parse_age(value) / 86400.0
        except BadValue as exc:
            raise fail(section, key, exc.message) from None
    else:
        days = float(value)
    if days <= 0:
        raise fail(section, key, _("must be more than zero"))
    return days


EXAMPLE = """\
# Ménage's configuration file (TOML). Every key is optional; remove the # to use one.
# `menage config` shows the effective configuration and where it comes from.

# The language of messages and reports: "fr" or "en" (--lang and MENAGE_LANG win).
# language = "fr"

[scan]
# Names or paths (relative to the scanned folder, with a /) every scan skips,
# added to --exclude.
# exclude = ["*.iso", "node_modules", "Archives/**"]

[plan]
# Which copy of duplicates stays when no --keep is given, in order.
# keep = ["in ~/Documents", "oldest"]
# Folders no plan ever touches: public archives may only be destroyed with the
# archives service's approval. A file named .menage-archives in a folder marks it too.
# archives = ["/srv/partage/Archives"]

[quarantine]
# How long moved files wait in the quarantine before Ménage proposes a purge
# (it never purges on its own): "30d", "6w", "3m", or a number of days.
# retention = "30d"
"""


def write_example(path: Path) -> None:
    """Write the commented example, refusing to replace an existing file.

    Raises:
        ConfigInvalid: the file exists, or cannot be written.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(EXAMPLE)
    except FileExistsError:
        raise ConfigInvalid(
            path=str(path), detail=_("it already exists; it was left as it is")
        ) from None
    except OSError as exc:
        raise ConfigInvalid(path=str(path), detail=os_error_text(exc)) from None
