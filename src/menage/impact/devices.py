"""The one vocabulary of device types, shared by the impact model and the platform.

Collection points (what they accept), equipment records (what was collected, wiped,
reused) and the impact model (what making or keeping a device costs) all name devices
with these codes. The codes are stable identifiers: store them, never the labels.

Each type carries its French and English label, so that the platform (which has its
own translation catalogue) can show them without going through Ménage's gettext
domain::

    from menage.impact.devices import DEVICE_TYPES, device_type

    device_type("laptop").label_fr        # "ordinateur portable"
    [(d.code, d.label_en) for d in DEVICE_TYPES]   # choices for a form or a model field

``has_factors`` says whether the impact model has sourced figures for the type;
``other`` and the accessories are accepted by collection points but have none.
"""

from __future__ import annotations

from dataclasses import dataclass

from menage.i18n import language


@dataclass(frozen=True)
class DeviceType:
    """One kind of device: a stable code and its labels in French and English."""

    code: str
    label_fr: str
    label_en: str
    plural_fr: str
    plural_en: str
    has_factors: bool

    def label(self, lang: str | None = None, plural: bool = False) -> str:
        """The label in ``lang`` (``fr`` or ``en``; the current language by default)."""
        french = (lang or language()).startswith("fr")
        if plural:
            return self.plural_fr if french else self.plural_en
        return self.label_fr if french else self.label_en

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label_fr": self.label_fr,
            "label_en": self.label_en,
            "has_factors": self.has_factors,
        }


DEVICE_TYPES: tuple[DeviceType, ...] = (
    DeviceType("phone", "smartphone", "smartphone", "smartphones", "smartphones", True),
    DeviceType("tablet", "tablette", "tablet", "tablettes", "tablets", True),
    DeviceType(
        "laptop",
        "ordinateur portable",
        "laptop",
        "ordinateurs portables",
        "laptops",
        True,
    ),
    DeviceType(
        "desktop",
        "ordinateur fixe (unité centrale)",
        "desktop computer",
        "ordinateurs fixes",
        "desktop computers",
        True,
    ),
    DeviceType("monitor", "écran d'ordinateur", "monitor", "écrans d'ordinateur", "monitors", True),
    DeviceType("tv", "téléviseur", "television", "téléviseurs", "televisions", True),
    DeviceType("printer", "imprimante", "printer", "imprimantes", "printers", True),
    DeviceType("box", "box internet", "internet box", "box internet", "internet boxes", True),
    DeviceType(
        "projector",
        "vidéoprojecteur",
        "video projector",
        "vidéoprojecteurs",
        "video projectors",
        True,
    ),
    DeviceType("server", "serveur", "server", "serveurs", "servers", True),
    DeviceType(
        "feature_phone",
        "téléphone mobile simple",
        "feature phone",
        "téléphones mobiles simples",
        "feature phones",
        False,
    ),
    DeviceType(
        "accessory",
        "accessoire (chargeur, câble, clavier, souris)",
        "accessory (charger, cable, keyboard, mouse)",
        "accessoires",
        "accessories",
        False,
    ),
    DeviceType(
        "other", "autre équipement", "other device", "autres équipements", "other devices", False
    ),
)

_BY_CODE = {d.code: d for d in DEVICE_TYPES}
#: the codes the impact model has figures for, in display order
IMPACT_DEVICES: tuple[str, ...] = tuple(d.code for d in DEVICE_TYPES if d.has_factors)
#: words people use for a code (the command line accepts them too)
ALIASES = {"smartphone": "phone", "television": "tv", "internet-box": "box", "modem": "box"}


def device_type(code: str) -> DeviceType:
    """The device type for ``code`` (or one of its aliases).

    Raises:
        ValueError: the code is not in the vocabulary.
    """
    found = _BY_CODE.get(ALIASES.get(code, code))
    if found is None:
        raise ValueError(f"unknown device {code!r} (one of {', '.join(_BY_CODE)})")
    return found


def impact_device(code: str) -> str:
    """The code of a device the impact model has figures for.

    Raises:
        ValueError: unknown code, or a type without sourced figures.
    """
    found = device_type(code)
    if not found.has_factors:
        raise ValueError(
            f"no sourced figures for {found.code!r} (one of {', '.join(IMPACT_DEVICES)})"
        )
    return found.code
