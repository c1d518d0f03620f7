"""Every change to a device goes through here: each step re-reads the device under a row
lock, checks the step against the lifecycle table, and logs who, when and why.

Views and the collection-point intake call these functions; nothing else writes
``Device.state``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from menage.impact.devices import device_type
from menage.platform.collection.models import CollectionPoint
from menage.platform.core.workflow import TransitionRefused
from menage.platform.equipment.lifecycle import LIFECYCLE, PARTS_USED, WIPED
from menage.platform.equipment.models import (
    Device,
    DeviceTransition,
    PartDonation,
    WipeCertificate,
)
from menage.platform.organisations.models import Organisation


class MissingFact(ValueError):
    """The step needs a fact that was not given (a recipient, a channel, a donor…)."""


def _locked(device: Device) -> Device:
    # the state is read again inside the transaction: two people moving the same device
    # at once must not both succeed from the state they saw on their page
    return Device.objects.select_for_update().get(pk=device.pk)


def _log(device: Device, name: str, before: str, by: Any, note: str) -> DeviceTransition:
    return DeviceTransition.objects.create(
        device=device,
        transition=name,
        from_state=before,
        to_state=device.state,
        by=by if by is not None and getattr(by, "is_authenticated", False) else None,
        at=timezone.now(),
        note=note.strip(),
    )


def move(
    device: Device,
    name: str,
    *,
    by: Any = None,
    note: str = "",
    recipient: str = "",
    channel: str = "",
) -> DeviceTransition:
    """Take step ``name`` (``diagnose``, ``repair``, ``donate``…) and log it.

    Steps with their own function (``wipe``: :func:`record_wipe`; ``refurbish``:
    :func:`refurbish`) are refused here.

    Raises:
        TransitionRefused: the step is not allowed from the device's current state.
        MissingFact: the step needs a recipient, a channel or a note.
    """
    step = LIFECYCLE.transition(name)
    if "certificate" in step.requires or "donors" in step.requires:
        raise MissingFact(_("This step needs its own form."))
    facts = {"recipient": recipient.strip(), "channel": channel.strip(), "note": note.strip()}
    for fact in step.requires:
        if not facts.get(fact):
            raise MissingFact(_REQUIRED[fact]())
    with transaction.atomic():
        current = _locked(device)
        before = current.state
        current.state = LIFECYCLE.apply(before, name)
        if "recipient" in step.requires:
            current.recipient = facts["recipient"]
        if "channel" in step.requires:
            current.channel = facts["channel"]
        current.save(update_fields=["state", "recipient", "channel"])
        entry = _log(current, name, before, by, note)
    device.refresh_from_db()
    return entry


def _required_recipient() -> str:
    return _("Say to whom the device went.")


def _required_channel() -> str:
    return _("Say which recycling channel took the device.")


def _required_note() -> str:
    return _("Say why (this goes in the log).")


_REQUIRED = {
    "recipient": _required_recipient,
    "channel": _required_channel,
    "note": _required_note,
}


def next_certificate_number(day: dt.date) -> str:
    """``EFF-2026-0001``: the year and a counter (numbers are never reused)."""
    prefix = f"EFF-{day.year}-"
    last = (
        WipeCertificate.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    count = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{count:04d}"


def record_wipe(
    device: Device, certificate: WipeCertificate, *, by: Any = None, note: str = ""
) -> WipeCertificate:
    """Save ``certificate`` (not yet saved) for ``device`` and take the ``wipe`` step.

    Raises:
        TransitionRefused: the device is past the wiping step (or already wiped).
    """
    with transaction.atomic():
        current = _locked(device)
        before = current.state
        current.state = LIFECYCLE.apply(before, "wipe")
        certificate.device = current
        certificate.number = next_certificate_number(certificate.wiped_on)
        certificate.save()
        current.save(update_fields=["state"])
        _log(current, "wipe", before, by, note or certificate.get_method_display())
    device.refresh_from_db()
    return certificate


def refurbish(
    device: Device,
    donors: Sequence[tuple[Device, str]],
    *,
    by: Any = None,
    note: str = "",
) -> list[PartDonation]:
    """Record that ``device`` was rebuilt with parts of ``donors`` ((device, parts) pairs).

    Donors that are wiped become "parts used" (logged too); donors already in that state
    may give more parts. All of it happens, or none.

    Raises:
        MissingFact: no donor, a donor of another organisation, the device itself, or
            empty parts.
        TransitionRefused: the device or a donor is not in a state that allows it.
    """
    if not donors:
        raise MissingFact(_("Say which donor devices gave which parts."))
    given: list[PartDonation] = []
    with transaction.atomic():
        current = _locked(device)
        before = current.state
        current.state = LIFECYCLE.apply(before, "refurbish")
        for donor, parts in donors:
            if donor.pk == current.pk:
                raise MissingFact(_("A device cannot give parts to itself."))
            if donor.organisation_id != current.organisation_id:
                raise MissingFact(_("Donors must belong to the same organisation."))
            if not parts.strip():
                raise MissingFact(_("Say which parts each donor gave."))
            locked = _locked(donor)
            if locked.state == WIPED:
                locked.state = LIFECYCLE.apply(WIPED, "use_for_parts")
                locked.save(update_fields=["state"])
                _log(
                    locked,
                    "use_for_parts",
                    WIPED,
                    by,
                    _("Parts for {code}").format(code=current.code),
                )
            elif locked.state != PARTS_USED:
                raise TransitionRefused(
                    _("{code} cannot give parts: it is “{state}”.").format(
                        code=locked.code, state=LIFECYCLE.states[locked.state]
                    ),
                    locked.state,
                    "use_for_parts",
                )
            given.append(
                PartDonation.objects.create(device=current, donor=locked, parts=parts.strip())
            )
        current.save(update_fields=["state"])
        _log(current, "refurbish", before, by, note)
    device.refresh_from_db()
    return given


@dataclass(frozen=True)
class IntakeItem:
    """One device as recorded at a collection point (the measures' intake form)."""

    device_type: str
    brand: str = ""
    model_name: str = ""
    serial: str = ""
    weight_kg: Decimal | None = None
    condition: str = Device.Condition.UNKNOWN
    notes: str = ""


def create_from_intake(
    items: Iterable[IntakeItem],
    *,
    organisation: Organisation | None = None,
    point: CollectionPoint | None = None,
    collected_on: dt.date | None = None,
    by: Any = None,
) -> list[Device]:
    """Turn devices recorded at a collection point into device records, all or none.

    Each device starts "collected", with a label code and a first log entry. The
    organisation and campaign come from ``point`` when given.

    Raises:
        ValueError: no organisation, or an unknown device type (nothing is created).
    """
    if point is not None:
        organisation = point.campaign.organisation
    if organisation is None:
        raise ValueError(_("Give the organisation or the collection point."))
    wanted = list(items)
    for item in wanted:
        try:
            device_type(item.device_type)
        except ValueError:
            raise ValueError(
                _("Unknown device type: {code}").format(code=item.device_type)
            ) from None
    day = collected_on or timezone.localdate()
    created: list[Device] = []
    with transaction.atomic():
        for item in wanted:
            device = Device.objects.create(
                organisation=organisation,
                campaign=point.campaign if point is not None else None,
                collection_point=point,
                device_type=device_type(item.device_type).code,
                brand=item.brand.strip(),
                model_name=item.model_name.strip(),
                serial=item.serial.strip(),
                weight_kg=item.weight_kg,
                condition=item.condition,
                notes=item.notes.strip(),
                collected_on=day,
            )
            _log(device, "collect", "", by, "")
            created.append(device)
    return created
