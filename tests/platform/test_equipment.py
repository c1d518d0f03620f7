"""Equipment: the lifecycle table, its services, the organisers' pages and the avoided impact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from menage.impact.model import Model
from menage.platform.core.workflow import Transition, TransitionRefused, Workflow
from menage.platform.equipment.impact import avoided, device_avoided
from menage.platform.equipment.lifecycle import LIFECYCLE
from menage.platform.equipment.models import CODE_ALPHABET, Device, WipeCertificate
from menage.platform.equipment.services import (
    IntakeItem,
    MissingFact,
    create_from_intake,
    move,
    record_wipe,
    refurbish,
)

# --- the table ---------------------------------------------------------------------------


def test_every_state_is_reachable_and_only_final_states_are_dead_ends():
    assert LIFECYCLE.reachable() == set(LIFECYCLE.states)
    dead_ends = {s for s in LIFECYCLE.states if not LIFECYCLE.allowed(s)}
    assert dead_ends == set(LIFECYCLE.final)


@pytest.mark.parametrize("state", ["collected", "diagnosed"])
@pytest.mark.parametrize("step", ["donate", "sell", "recycle", "use_for_parts", "repair"])
def test_nothing_leaves_or_is_reused_before_its_data_is_cleared(state, step):
    with pytest.raises(TransitionRefused):
        LIFECYCLE.apply(state, step)


def test_a_finished_device_takes_no_more_step():
    for state in LIFECYCLE.final:
        for step in LIFECYCLE.transitions:
            with pytest.raises(TransitionRefused):
                LIFECYCLE.apply(state, step.name)


def test_a_wrong_table_fails_when_it_is_built():
    with pytest.raises(ValueError, match="unknown state"):
        Workflow(states={"a": "A"}, initial="a", transitions=(Transition("t", "T", ("a",), "b"),))
    with pytest.raises(ValueError, match="duplicate"):
        Workflow(
            states={"a": "A"},
            initial="a",
            transitions=(Transition("t", "T", ("a",), "a"), Transition("t", "T", ("a",), "a")),
        )


def test_an_unknown_step_is_refused():
    with pytest.raises(TransitionRefused):
        LIFECYCLE.apply("collected", "teleport")


# --- services ------------------------------------------------------------------------------


def _device(world: dict[str, Any], kind: str = "laptop", **extra: Any) -> Device:
    (device,) = create_from_intake(
        [IntakeItem(device_type=kind, brand="Lenovo", serial="S-1", **extra)],
        point=world["alpha_public_point"],
        by=world["alpha_manager"],
        collected_on=dt.date(2026, 3, 2),
    )
    return device


def _certificate(**extra: Any) -> WipeCertificate:
    fields: dict[str, Any] = {
        "method": WipeCertificate.Method.CLEAR,
        "media": "SSD 256 GB",
        "tool": "nwipe 0.34",
        "operator": "Léa Martin",
        "wiped_on": dt.date(2026, 3, 3),
        "verification": WipeCertificate.Verification.FULL,
        "result": "zeros read back",
    }
    fields.update(extra)
    return WipeCertificate(**fields)


def wiped(world: dict[str, Any], kind: str = "laptop", **extra: Any) -> Device:
    device = _device(world, kind)
    record_wipe(device, _certificate(**extra), by=world["alpha_manager"])
    return device


def test_intake_creates_collected_devices_with_a_code_and_a_first_log_entry(world):
    device = _device(world, "smartphone", weight_kg=Decimal("0.18"))
    assert device.state == "collected" and device.device_type == "phone"
    assert device.organisation == world["alpha"] and device.campaign == world["alpha_public"]
    assert len(device.code) == 7 and set(device.code.replace("-", "")) <= set(CODE_ALPHABET)
    (entry,) = device.log.all()
    assert (entry.transition, entry.to_state, entry.by) == (
        "collect",
        "collected",
        world["alpha_manager"],
    )


def test_intake_with_an_unknown_type_creates_nothing(world):
    items = [IntakeItem(device_type="laptop"), IntakeItem(device_type="toaster")]
    with pytest.raises(ValueError, match="toaster"):
        create_from_intake(items, point=world["alpha_public_point"])
    assert Device.objects.count() == 0


def test_the_full_path_is_logged_with_who_and_why(world):
    device = wiped(world)
    move(device, "repair", by=world["alpha_manager"], note="new battery")
    move(device, "donate", by=world["alpha_manager"], recipient="Mairie de Valbourg")
    assert device.state == "donated" and device.recipient == "Mairie de Valbourg"
    steps = list(device.log.values_list("transition", "from_state", "to_state"))
    assert steps == [
        ("collect", "", "collected"),
        ("wipe", "collected", "wiped"),
        ("repair", "wiped", "repaired"),
        ("donate", "repaired", "donated"),
    ]
    assert device.certificate.number == "EFF-2026-0001"
    assert wiped(world).certificate.number == "EFF-2026-0002"


def test_a_device_cannot_be_donated_before_it_is_wiped(world):
    device = _device(world)
    with pytest.raises(TransitionRefused):
        move(device, "donate", recipient="x")
    device.refresh_from_db()
    assert device.state == "collected" and device.log.count() == 1


def test_the_state_is_read_again_at_the_last_moment(world):
    device = wiped(world)
    stale = Device.objects.get(pk=device.pk)
    move(device, "recycle", channel="Ecologic")
    # a page opened before the device was recycled must not repair it
    with pytest.raises(TransitionRefused):
        move(stale, "repair")
    assert Device.objects.get(pk=device.pk).state == "recycled"


@pytest.mark.parametrize(
    ("step", "facts"),
    [
        pytest.param("donate", {}, id="donate-without-recipient"),
        pytest.param("donate", {"recipient": "   "}, id="donate-blank-recipient"),
        pytest.param("recycle", {}, id="recycle-without-channel"),
    ],
)
def test_steps_refuse_missing_facts(world, step, facts):
    device = wiped(world)
    if step == "donate":
        move(device, "repair")
    with pytest.raises(MissingFact):
        move(device, step, **facts)


def test_no_data_needs_a_reason(world):
    device = _device(world, "monitor")
    with pytest.raises(MissingFact):
        move(device, "no_data")
    move(device, "no_data", note="a screen holds no data")
    assert device.state == "wiped"


def test_refurbishing_records_parts_and_ends_donors_as_parts_used(world):
    target, donor_a, donor_b = wiped(world), wiped(world), wiped(world)
    move(donor_b, "use_for_parts")
    refurbish(target, [(donor_a, "screen"), (donor_b, "8 GB RAM")], by=world["alpha_manager"])
    donor_a.refresh_from_db()
    assert target.state == "refurbished" and donor_a.state == "parts_used"
    assert sorted(target.parts_received.values_list("parts", flat=True)) == ["8 GB RAM", "screen"]
    move(donor_a, "recycle", channel="Ecologic")
    assert Device.objects.get(pk=donor_a.pk).state == "recycled"


def test_refurbishing_is_all_or_nothing(world):
    target, good, unwiped = wiped(world), wiped(world), _device(world)
    with pytest.raises(TransitionRefused):
        refurbish(target, [(good, "screen"), (unwiped, "battery")])
    assert Device.objects.get(pk=target.pk).state == "wiped"
    assert Device.objects.get(pk=good.pk).state == "wiped"
    assert target.parts_received.count() == 0


def test_a_device_cannot_give_parts_to_itself(world):
    target = wiped(world)
    with pytest.raises(MissingFact):
        refurbish(target, [(target, "screen")])


# --- avoided impact -----------------------------------------------------------------------


def test_avoided_impact_uses_the_second_life_factors(world):
    model = Model()
    for kind, recipient in (("laptop", "School"), ("phone", "Association"), ("accessory", "X")):
        device = wiped(world, kind) if kind != "accessory" else _device(world, kind)
        if kind == "accessory":
            move(device, "no_data", note="a cable")
        move(device, "repair")
        move(device, "donate", recipient=recipient)
    recycled = _device(world, "tv", weight_kg=Decimal("12.5"))
    move(recycled, "no_data", note="no storage")
    move(recycled, "recycle", channel="Ecologic")
    totals = avoided(Device.objects.all(), model)
    expected = model.second_life("laptop").kgco2e + model.second_life("phone").kgco2e
    assert totals.kgco2e == expected and totals.kgco2e.central > 0
    assert (totals.collected, totals.reused, totals.recycled) == (4, 3, 1)
    assert totals.not_converted == 1 and totals.kg_recycled == Decimal("12.5")
    assert totals.raw_materials_kg.central > 0
    assert len(totals.methods) == 2  # the ADEME study, and "counted, not converted"
    laptop = Device.objects.filter(device_type="laptop").get()
    found = device_avoided(laptop, model)
    assert found is not None and found["kgco2e"] == model.second_life("laptop").kgco2e
    assert device_avoided(recycled, model) is None


# --- pages ----------------------------------------------------------------------------------


def test_a_manager_records_a_device_through_the_form(world, login, parse):
    client = login("alpha_manager")
    response = client.post(
        reverse("equipment:create"),
        {
            "organisation": world["alpha"].pk,
            "device_type": "laptop",
            "brand": "Dell",
            "condition": "broken",
            "collected_on": "2026-03-02",
            "weight_kg": "2.1",
            "collection_point": world["alpha_public_point"].pk,
        },
    )
    device = Device.objects.get()
    assert response.status_code == 302 and response["Location"] == device.get_absolute_url()
    assert device.campaign == world["alpha_public"]
    page = parse(client.get(device.get_absolute_url()))
    assert device.code in page.find("h1").text
    steps = [a.text for a in page.select(".steps a")]
    assert "Enregistrer le diagnostic" in steps and "Donné" not in steps


@pytest.mark.parametrize(
    ("field", "value"),
    [
        pytest.param("weight_kg", "-3", id="negative-weight"),
        pytest.param("weight_kg", "1e400", id="huge-weight"),
        pytest.param("device_type", "toaster", id="unknown-type"),
        pytest.param("collected_on", "31/02/2026", id="impossible-date"),
        pytest.param("brand", "x" * 5000, id="too-long"),
        pytest.param("organisation", "999999", id="foreign-organisation"),
    ],
)
def test_hostile_device_input_is_refused_with_a_message(world, login, parse, field, value):
    data = {
        "organisation": world["alpha"].pk,
        "device_type": "laptop",
        "condition": "unknown",
        "collected_on": "2026-03-02",
    }
    data[field] = value
    response = login("alpha_manager").post(reverse("equipment:create"), data)
    assert response.status_code == 400
    assert parse(response).select_one(".error-summary")
    assert Device.objects.count() == 0


def test_another_organisations_campaign_is_refused(world, login):
    response = login("alpha_manager").post(
        reverse("equipment:create"),
        {
            "organisation": world["alpha"].pk,
            "device_type": "laptop",
            "condition": "unknown",
            "collected_on": "2026-03-02",
            "campaign": world["beta_public"].pk,
        },
    )
    assert response.status_code == 400 and Device.objects.count() == 0


def test_markup_in_a_field_is_shown_as_text(world, login, parse):
    device = _device(world)
    Device.objects.filter(pk=device.pk).update(brand="<script>alert(1)</script>")
    page = parse(login("alpha_manager").get(device.get_absolute_url()))
    assert page.find("script") is None and "<script>" in page.find("h1").text


def test_an_invalid_step_by_address_is_refused_and_changes_nothing(world, login):
    device = _device(world)
    client = login("alpha_manager")
    url = reverse("equipment:step", kwargs={"pk": device.pk, "name": "donate"})
    response = client.post(url, {"recipient": "Someone"}, follow=True)
    assert "pas possible" in response.content.decode()
    device.refresh_from_db()
    assert device.state == "collected"
    bogus = reverse("equipment:step", kwargs={"pk": device.pk, "name": "teleport"})
    assert client.get(bogus).status_code == 302


def test_a_wipe_through_the_form_makes_a_printable_certificate(world, login, parse):
    device = _device(world)
    client = login("alpha_manager")
    url = reverse("equipment:step", kwargs={"pk": device.pk, "name": "wipe"})
    form = {
        "method": "nist_purge",
        "media": "NVMe 512 GB",
        "tool": "nvme-cli 2.8",
        "operator": "Léa Martin",
        "wiped_on": "2026-03-03",
        "verification": "sample",
        "result": "sanitize log: success",
        "batch": "LOT-7",
    }
    bad = client.post(url, {**form, "verification": "visual"})
    assert bad.status_code == 400 and Device.objects.get(pk=device.pk).state == "collected"
    assert client.post(url, form).status_code == 302
    page = parse(client.get(reverse("equipment:certificate", kwargs={"pk": device.pk})))
    facts = {dt.text: dd.text for dt, dd in zip(page.select("dt"), page.select("dd"), strict=True)}
    assert facts["Opérateur"] == "Léa Martin" and "Purge" in facts["Méthode"]
    batch = parse(client.get(reverse("equipment:batch", kwargs={"batch": "LOT-7"})))
    assert len(batch.select("section.certificate")) == 1


def test_people_outside_the_organisation_see_nothing(world, login):
    device = wiped(world)
    client = login("beta_manager")
    assert client.get(device.get_absolute_url()).status_code == 404
    assert client.get(reverse("equipment:certificate", kwargs={"pk": device.pk})).status_code == 404
    step = reverse("equipment:step", kwargs={"pk": device.pk, "name": "repair"})
    assert client.post(step, {}).status_code == 404
    assert device.code not in client.get(reverse("equipment:labels")).content.decode()


def test_a_facilitator_reads_but_cannot_move_a_device(world, login):
    device = wiped(world)
    client = login("alpha_facilitator")
    assert client.get(device.get_absolute_url()).status_code == 200
    step = reverse("equipment:step", kwargs={"pk": device.pk, "name": "repair"})
    assert client.post(step, {}).status_code == 404
    assert Device.objects.get(pk=device.pk).state == "wiped"


def test_the_list_shows_totals_and_the_method(world, login, parse):
    device = wiped(world)
    move(device, "repair")
    move(device, "donate", recipient="École")
    page = parse(login("alpha_manager").get(reverse("equipment:list")))
    assert "kgCO2e" in page.select_one(".totals").text
    assert page.find("details").find("li")
    assert device.code in page.find("table").text


def test_labels_list_the_devices_still_to_process(world, login, parse):
    waiting, done = _device(world), wiped(world)
    page = parse(login("alpha_manager").get(reverse("equipment:labels")))
    codes = [c.text for c in page.select(".labels .code")]
    assert codes == [waiting.code]
    assert done.code not in codes


def test_the_demo_shows_every_step_of_the_lifecycle(db):
    from menage.platform.core.demo import load_demo

    load_demo(password="pw")
    states = set(Device.objects.values_list("state", flat=True))
    assert states == {"collected", "parts_used", "donated", "sold", "recycled"}
    assert Device.objects.get(serial="PF0XK3C2").parts_received.count() == 2
    assert WipeCertificate.objects.filter(batch="MONTCLAIR-LOT-1").count() == 5
    assert avoided(Device.objects.all()).kgco2e.central > 0
