"""Validation gaps closed: coordinates, lengths, dates inside the campaign (and when it
shrinks), capacity 0 with registration open, archives holding programs, API pages."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from tests.platform.test_space_forms import campaign_data, errors_of, event_data, point_data

from menage.platform.collection.models import CollectionPoint
from menage.platform.events.models import Event
from menage.platform.resources.models import Resource

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"latitude": "91", "longitude": "2"}, "id_latitude", id="latitude-above-90"),
        pytest.param({"latitude": "-90.5", "longitude": "2"}, "id_latitude", id="latitude-below"),
        pytest.param({"latitude": "45", "longitude": "180.01"}, "id_longitude", id="longitude"),
        pytest.param({"latitude": "1e308", "longitude": "2"}, "id_latitude", id="huge-exponent"),
        pytest.param({"latitude": "NaN", "longitude": "2"}, "id_latitude", id="not-a-number"),
        pytest.param({"notes": "x" * 2001}, "id_notes", id="notes-too-long"),
        pytest.param({"opening_hours": "x" * 1001}, "id_opening_hours", id="hours-too-long"),
        pytest.param({"starts_on": "2001-01-01"}, "id_starts_on", id="opens-before-campaign"),
        pytest.param({"ends_on": "2099-01-01"}, "id_ends_on", id="closes-after-campaign"),
    ],
)
def test_collection_points_stay_in_range(world, login, parse, changes, field):
    response = login("alpha_manager").post(
        reverse("space:point_create", args=[world["alpha_public"].slug]),
        point_data(world, **changes),
    )
    assert response.status_code == 400
    assert field in errors_of(parse(response))
    assert not CollectionPoint.objects.filter(name="Town hall").exists()


def test_errors_speak_in_dates_not_iso(world, login, parse):
    response = login("alpha_manager").post(
        reverse("space:point_create", args=[world["alpha_public"].slug]),
        point_data(world, starts_on="2001-01-01"),
    )
    message = parse(response).find(id="id_starts_on_error").get_text()
    assert world["start"].isoformat() not in message
    assert str(world["end"].year) in message and "du " in message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"description": "x" * 5001}, "id_description", id="description-too-long"),
        pytest.param({"accessibility": "x" * 1001}, "id_accessibility", id="access-too-long"),
        pytest.param({"capacity": "0"}, "id_capacity", id="no-place-but-registration"),
        pytest.param({"ends_at": "END+30"}, "id_ends_at", id="ends-after-the-campaign"),
    ],
)
def test_events_stay_in_range(world, login, parse, changes, field):
    if changes.get("ends_at") == "END+30":
        changes["ends_at"] = f"{world['end'].replace(year=world['end'].year + 1).isoformat()}T10:00"
    before = Event.objects.count()
    response = login("alpha_manager").post(
        reverse("space:event_create", args=[world["alpha_public"].slug]),
        event_data(world, **changes),
    )
    assert response.status_code == 400
    assert field in errors_of(parse(response))
    assert Event.objects.count() == before


def test_capacity_0_without_registration_is_fine(world, login):
    response = login("alpha_manager").post(
        reverse("space:event_create", args=[world["alpha_public"].slug]),
        event_data(world, capacity="0", registration_open=""),
    )
    assert response.status_code == 302


def test_a_campaign_cannot_shrink_away_from_its_events(world, login, parse):
    campaign = world["alpha_public"]
    data = campaign_data(
        world,
        name=campaign.name,
        slug=campaign.slug,
        starts_on=world["start"].isoformat(),
        ends_on=world["start"].isoformat(),
    )
    # the event is on the first day, the point is open all week
    response = login("alpha_manager").post(
        reverse("space:campaign_edit", args=[campaign.slug]), data
    )
    assert response.status_code == 400
    page = parse(response)
    assert "id_ends_on" in errors_of(page)
    assert "alpha public point" in page.find(id="id_ends_on_error").get_text()
    campaign.refresh_from_db()
    assert campaign.ends_on == world["end"]


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name.replace("__", "/"), content)
    return buffer.getvalue()


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.txt", b"\0" * 210_000_000)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("kit.zip", lambda: zip_of(**{"setup.exe": b"MZ"}), id="exe"),
        pytest.param("kit.zip", lambda: zip_of(**{"docs__run.BAT": b"@echo"}), id="bat-in-folder"),
        pytest.param("kit.zip", lambda: zip_of(**{"a.pdf": b"%PDF", "b.js": b"x"}), id="script"),
        pytest.param("kit.zip", lambda: zip_of(**{"..__evil.txt": b"x"}), id="path-traversal"),
        pytest.param("kit.zip", lambda: zip_of(**{"tableur.xlsm": b"x"}), id="macro-document"),
        pytest.param(
            "kit.docx",
            lambda: zip_of(**{"[Content_Types].xml": b"<x/>", "word__vbaProject.bin": b"x"}),
            id="docx-with-macros",
        ),
        pytest.param("kit.zip", bomb, id="zip-bomb"),
    ],
)
def test_archives_holding_programs_are_refused(world, login, parse, name, content, settings):
    settings.MENAGE_UPLOAD_MAX_BYTES = 50_000_000
    upload = SimpleUploadedFile(name, content())
    response = login("alpha_manager").post(
        reverse("space:resource_create"),
        {
            "organisation": world["alpha"].pk,
            "title": "Kit",
            "theme": "organising",
            "description": "",
            "url": "",
            "visibility": "shared",
            "file": upload,
        },
    )
    assert response.status_code == 400
    assert "id_file" in errors_of(parse(response))
    assert not Resource.objects.filter(title="Kit").exists()


def test_a_zip_of_documents_is_fine(world, login):
    upload = SimpleUploadedFile(
        "kit.zip", zip_of(**{"affiche.pdf": b"%PDF-1.4", "lisez.txt": b"x"})
    )
    response = login("alpha_manager").post(
        reverse("space:resource_create"),
        {
            "organisation": world["alpha"].pk,
            "title": "Kit",
            "theme": "organising",
            "url": "",
            "visibility": "shared",
            "file": upload,
        },
    )
    assert response.status_code == 302


def test_the_api_is_paginated(world, client):
    page = client.get("/api/campaigns", {"limit": 1}).json()
    assert page["count"] == 2 and len(page["items"]) == 1
    rest = client.get("/api/campaigns", {"limit": 1, "offset": 1}).json()
    assert rest["items"][0]["slug"] != page["items"][0]["slug"]
    huge = client.get("/api/campaigns", {"limit": 10**9}).json()
    assert len(huge["items"]) == 2
    for bad in ({"limit": 0}, {"limit": "x"}, {"offset": -1}):
        assert client.get("/api/campaigns", bad).status_code == 422
