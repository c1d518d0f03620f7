"""The collection-point intake: who may record, what a record becomes, bulk counts, the
totals the measures' dashboards read, and hostile form input."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from menage.platform.equipment.intake import record_count
from menage.platform.equipment.models import CollectedBatch, Device
from menage.platform.equipment.totals import collected_for_campaign, collected_for_organisation


def _url(world, name="intake", point="alpha_private_point"):
    return reverse(f"equipment:{name}", kwargs={"pk": world[point].pk})


def test_a_facilitator_records_a_device_that_becomes_a_record(world, login, parse):
    client = login("alpha_facilitator")
    page = parse(client.get(_url(world)))
    # every field the phone shows has its label, and the page needs no script
    for field in page.select("main form input:not([type=hidden]):not([type=radio]), main select"):
        assert page.select_one(f"label[for={field['id']}]") is not None, field["id"]
    assert page.select("main script") == []
    response = client.post(
        _url(world),
        {
            "device_type": "laptop",
            "condition": "working",
            "brand": " Dell ",
            "serial": "7QZ3KH2",
            "weight_kg": "1,6",
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("?type=laptop")
    device = Device.objects.get(serial="7QZ3KH2")
    point = world["alpha_private_point"]
    assert (device.state, device.collection_point, device.campaign) == (
        "collected",
        point,
        point.campaign,
    )
    assert device.organisation == world["alpha"] and device.brand == "Dell"
    assert device.weight_kg == Decimal("1.6") and device.condition == "working"
    assert device.collected_on == timezone.localdate()
    (entry,) = device.log.all()
    assert entry.by == world["alpha_facilitator"] and entry.to_state == "collected"
    # the next device: the type is kept, the code of the last one is shown
    page = parse(client.get(response["Location"]))
    assert page.select_one("#id_device_type option[selected]")["value"] == "laptop"
    assert device.code in page.select_one(".notice").text
    assert device.code in page.select_one(".recent").text


@pytest.mark.parametrize(
    ("who", "status"),
    [
        pytest.param("beta_manager", 404, id="another-city"),
        pytest.param("nobody", 404, id="no-membership"),
        pytest.param("district_manager", 404, id="a-manager-elsewhere"),
    ],
)
def test_only_members_of_the_campaign_s_organisation_take_in(world, login, who, status):
    client = login(who)
    for name in ("intake", "intake_count"):
        assert client.get(_url(world, name)).status_code == status
        assert client.post(_url(world, name), {"device_type": "phone"}).status_code == status
    assert not Device.objects.exists() and not CollectedBatch.objects.exists()
    listed = client.get(reverse("equipment:intake_points"))
    assert world["alpha_private_point"].name not in listed.content.decode()


def test_signed_out_people_are_sent_to_sign_in(world, client):
    assert client.get(_url(world)).status_code == 302
    assert client.post(_url(world), {"device_type": "phone"}).status_code == 302
    assert not Device.objects.exists()


def test_the_point_list_shows_the_person_s_points(world, login, parse):
    page = parse(login("alpha_facilitator").get(reverse("equipment:intake_points")))
    names = {h.text for h in page.select("main h2")}
    assert names == {"alpha public point", "alpha private point"}


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"device_type": "toaster", "condition": "working"}, id="unknown-type"),
        pytest.param({"device_type": "", "condition": "working"}, id="no-type"),
        pytest.param({"device_type": "phone", "condition": "shiny"}, id="unknown-state"),
        pytest.param(
            {"device_type": "phone", "condition": "working", "weight_kg": "-1"},
            id="negative-weight",
        ),
        pytest.param(
            {"device_type": "phone", "condition": "working", "weight_kg": "abc"}, id="not-a-number"
        ),
        pytest.param(
            {"device_type": "phone", "condition": "working", "weight_kg": "1e9"}, id="absurd-weight"
        ),
        pytest.param(
            {"device_type": "phone", "condition": "working", "serial": "x" * 101},
            id="serial-too-long",
        ),
        pytest.param(
            {"device_type": ["phone", "laptop"], "condition": "working", "weight_kg": "NaN"},
            id="nan",
        ),
    ],
)
def test_hostile_input_is_refused_and_nothing_is_recorded(world, login, parse, data):
    response = login("alpha_facilitator").post(_url(world), data)
    assert response.status_code == 400
    assert parse(response).select_one(".error-summary") is not None
    assert not Device.objects.exists()


def test_the_same_serial_twice_is_refused_with_the_first_label(world, login, parse):
    client = login("alpha_facilitator")
    data = {"device_type": "phone", "condition": "unknown", "serial": "R58R30ABCDE"}
    assert client.post(_url(world), data).status_code == 302
    first = Device.objects.get()
    again = client.post(_url(world), {**data, "serial": "r58r30abcde "})
    assert again.status_code == 400 and first.code in parse(again).select_one(".error").text
    assert Device.objects.count() == 1


def test_bulk_counts_and_the_totals_for_the_dashboards(world, login, parse):
    client = login("alpha_facilitator")
    response = client.post(
        _url(world, "intake_count"),
        {"device_type": "phone", "condition": "broken", "count": "14", "weight_kg": "2,5"},
    )
    assert response.status_code == 302
    batch = CollectedBatch.objects.get()
    assert (batch.count, batch.weight_kg, batch.campaign) == (
        14,
        Decimal("2.5"),
        world["alpha_private"],
    )
    assert batch.recorded_by == world["alpha_facilitator"]
    for data in (
        {"device_type": "phone", "condition": "broken", "count": "0"},
        {"device_type": "phone", "condition": "broken", "count": "1.5"},
        {"device_type": "phone", "condition": "broken", "count": "99999999"},
    ):
        assert client.post(_url(world, "intake_count"), data).status_code == 400
    assert CollectedBatch.objects.count() == 1
    client.post(_url(world), {"device_type": "laptop", "condition": "working", "weight_kg": "2"})
    client.post(_url(world), {"device_type": "phone", "condition": "broken"})
    record_count(world["alpha_public_point"], device_type="monitor", condition="unknown", count=3)

    found = collected_for_campaign(world["alpha_private"])
    assert (found.devices, found.recorded, found.counted) == (16, 2, 14)
    assert found.kg == Decimal("4.5") and found.unweighed == 1
    assert found.by_type == {"phone": 15, "laptop": 1}
    assert found.by_state == {"broken": 15, "working": 1}
    assert found.by_type_and_state[("phone", "broken")] == 15
    assert found.to_dict()["by_type"] == {"laptop": 1, "phone": 15}
    assert collected_for_campaign(world["alpha_private"].pk).devices == 16
    assert collected_for_campaign(world["beta_private"]).devices == 0
    assert collected_for_organisation(world["alpha"]).devices == 19
    page = parse(client.get(_url(world, "intake_count")))
    assert "16" in page.select_one("main h2").text


def test_record_count_refuses_what_the_form_would(world):
    point = world["alpha_public_point"]
    extras: tuple[dict[str, Any], ...] = (
        {"device_type": "toaster"},
        {"condition": "shiny"},
        {"count": 0},
        {"weight_kg": Decimal(-1)},
    )
    for extra in extras:
        args: dict[str, Any] = {"device_type": "phone", "condition": "unknown", "count": 2, **extra}
        with pytest.raises(ValueError):
            record_count(point, **args)
    assert not CollectedBatch.objects.exists()
