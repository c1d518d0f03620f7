"""Organisers' forms: valid input saves; bad input gets clear errors and stores nothing."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from menage.platform.campaigns.models import Campaign
from menage.platform.collection.models import CollectionPoint
from menage.platform.events.models import Event
from menage.platform.resources.models import Resource

pytestmark = pytest.mark.django_db

INJECTION = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&"


def campaign_data(world, **changes):
    data = {
        "organisation": world["alpha"].pk,
        "name": "Week",
        "slug": "week",
        "kind": "data",
        "starts_on": "2030-03-16",
        "ends_on": "2030-03-20",
        "visibility": "public",
        "description": "",
        "audience": "",
    }
    data.update(changes)
    return data


def event_data(world, **changes):
    start = world["start"].isoformat()
    data = {
        "title": "Clean your computer",
        "kind": "workshop",
        "description": "",
        "starts_at": f"{start}T14:00",
        "ends_at": f"{start}T16:00",
        "venue": world["alpha_venue"].pk,
        "audience": "",
        "capacity": "12",
        "registration_open": "on",
        "accessibility": "",
    }
    data.update(changes)
    return data


def point_data(world, **changes):
    data = {
        "name": "Town hall",
        "address": "1 place",
        "neighbourhood": "Centre",
        "schedule": "lun-ven 9h-18h",
        "opening_hours": "",
        "accepted_items": ["phones", "cables"],
        "starts_on": world["start"].isoformat(),
        "ends_on": world["end"].isoformat(),
        "latitude": "",
        "longitude": "",
        "notes": "",
    }
    data.update(changes)
    return data


def errors_of(page):
    """Field ids named in the error summary, as a screen reader user would follow them."""
    summary = page.find(class_="error-summary")
    assert summary is not None, "no error summary"
    assert summary["role"] == "alert"
    return [a["href"].lstrip("#") for a in summary.find_all("a")]


def test_a_manager_registers_a_campaign(world, login):
    response = login("alpha_manager").post(
        reverse("space:campaign_create"), campaign_data(world, slug="")
    )
    campaign = Campaign.objects.get(name="Week")
    assert response.status_code == 302 and response["Location"] == campaign.get_absolute_url()
    assert campaign.slug == "week" and campaign.organisation == world["alpha"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"starts_on": "2030-02-30"}, "id_starts_on", id="impossible-date"),
        pytest.param({"starts_on": "next monday"}, "id_starts_on", id="words-for-a-date"),
        pytest.param({"ends_on": "2030-03-01"}, "id_ends_on", id="ends-before-start"),
        pytest.param({"name": ""}, "id_name", id="no-name"),
        pytest.param({"kind": "party"}, "id_kind_0", id="unknown-type"),
        pytest.param({"slug": "alpha-public"}, "id_slug", id="slug-taken"),
        pytest.param({"slug": "no spaces/allowed"}, "id_slug", id="bad-slug"),
    ],
)
def test_bad_campaigns_are_refused_and_nothing_is_stored(world, login, parse, changes, field):
    before = Campaign.objects.count()
    response = login("alpha_manager").post(
        reverse("space:campaign_create"), campaign_data(world, **changes)
    )
    assert response.status_code == 400
    page = parse(response)
    assert field in errors_of(page)
    assert page.find(id=field) is not None  # the summary's link leads somewhere
    assert Campaign.objects.count() == before


def test_text_fields_are_escaped_everywhere(world, login, client, parse):
    manager = login("alpha_manager")
    manager.post(
        reverse("space:campaign_create"),
        campaign_data(world, name=INJECTION, slug="inj", description=INJECTION, audience=INJECTION),
    )
    campaign = Campaign.objects.get(slug="inj")
    manager.post(
        reverse("space:event_create", args=["inj"]),
        event_data(
            world,
            title=INJECTION,
            description=INJECTION,
            audience=INJECTION,
            accessibility=INJECTION,
            starts_at="2030-03-17T10:00",
            ends_at="2030-03-17T12:00",
        ),
    )
    manager.post(
        reverse("space:point_create", args=["inj"]),
        point_data(
            world,
            name=INJECTION,
            address=INJECTION,
            neighbourhood=INJECTION,
            opening_hours=INJECTION,
            notes=INJECTION,
            starts_on="2030-03-16",
            ends_on="2030-03-20",
        ),
    )
    event = Event.objects.get(campaign=campaign)
    point = CollectionPoint.objects.get(campaign=campaign)
    pages = [
        campaign.get_absolute_url(),
        event.get_absolute_url(),
        point.get_absolute_url(),
        reverse("campaigns:list"),
        reverse("events:agenda"),
        reverse("collection:list"),
        reverse("events:register", args=[event.pk]),
    ]
    client.logout()
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        page = parse(response)
        assert page.find("script") is None, url
        assert page.find("img") is None, url
        assert INJECTION in page.get_text(), url


def test_a_manager_adds_an_event(world, login):
    response = login("alpha_manager").post(
        reverse("space:event_create", args=[world["alpha_public"].slug]), event_data(world)
    )
    assert response.status_code == 302
    assert Event.objects.filter(
        title="Clean your computer", campaign=world["alpha_public"]
    ).exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"starts_at": "2030-13-01T10:00"}, "id_starts_at", id="malformed-start"),
        pytest.param({"ends_at": "yesterday"}, "id_ends_at", id="malformed-end"),
        pytest.param({"ends_at": "START"}, "id_ends_at", id="ends-when-it-starts"),
        pytest.param(
            {"starts_at": "2001-01-01T10:00", "ends_at": "2001-01-01T12:00"},
            "id_starts_at",
            id="outside-the-campaign",
        ),
        pytest.param({"capacity": "-3"}, "id_capacity", id="negative-capacity"),
        pytest.param({"venue": "999999"}, "id_venue", id="unknown-venue"),
    ],
)
def test_bad_events_are_refused(world, login, parse, changes, field):
    if changes.get("ends_at") == "START":
        changes["ends_at"] = f"{world['start'].isoformat()}T14:00"
    before = Event.objects.count()
    response = login("alpha_manager").post(
        reverse("space:event_create", args=[world["alpha_public"].slug]),
        event_data(world, **changes),
    )
    assert response.status_code == 400
    assert field in errors_of(parse(response))
    assert Event.objects.count() == before


def test_capacity_cannot_drop_below_registrations(world, login, parse):
    event = world["alpha_private_event"]  # one resident registered
    response = login("alpha_manager").post(
        reverse("space:event_edit", args=[event.pk]),
        event_data(world, title=event.title, capacity="0"),
    )
    assert response.status_code == 400
    assert "id_capacity" in errors_of(parse(response))
    event.refresh_from_db()
    assert event.capacity == 3


@pytest.mark.parametrize(
    "hours",
    [
        pytest.param("", id="empty"),
        pytest.param("   \n  ", id="blank"),
        pytest.param("9h-18h", id="no-days"),
        pytest.param("lun-ven", id="no-times"),
        pytest.param("lun-ven 18h-9h", id="closes-before-it-opens"),
        pytest.param("lun-ven 25h-26h", id="not-an-hour"),
        pytest.param("funday 9h-18h", id="unknown-day"),
        pytest.param("lun " + ", ".join(["9h-10h"] * 80), id="too-many"),
    ],
)
def test_a_collection_point_needs_readable_opening_hours(world, login, parse, hours):
    response = login("alpha_manager").post(
        reverse("space:point_create", args=[world["alpha_public"].slug]),
        point_data(world, schedule=hours),
    )
    assert response.status_code == 400
    assert "id_schedule" in errors_of(parse(response))
    assert not CollectionPoint.objects.filter(name="Town hall").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        pytest.param({"accepted_items": []}, "id_accepted_items_0", id="no-items"),
        pytest.param({"accepted_items": ["fridges"]}, "id_accepted_items_0", id="unknown-item"),
        pytest.param({"ends_on": "2000-01-01"}, "id_ends_on", id="ends-before-start"),
        pytest.param({"latitude": "48.85"}, "id_longitude", id="half-a-position"),
        pytest.param({"latitude": "north"}, "id_latitude", id="malformed-latitude"),
    ],
)
def test_bad_collection_points_are_refused(world, login, parse, changes, field):
    response = login("alpha_manager").post(
        reverse("space:point_create", args=[world["alpha_public"].slug]),
        point_data(world, **changes),
    )
    assert response.status_code == 400
    assert field in errors_of(parse(response))
    assert not CollectionPoint.objects.filter(name="Town hall").exists()


def test_a_collection_point_links_to_openstreetmap_without_loading_tiles(world, client, parse):
    point = world["alpha_public_point"]
    page = parse(client.get(point.get_absolute_url()))
    link = page.find("a", href=lambda h: h and "openstreetmap.org" in h)
    assert link is not None
    assert page.find("iframe") is None and page.find("img") is None


def resource_data(world, **changes):
    data = {
        "organisation": world["alpha"].pk,
        "title": "Kit",
        "theme": "organising",
        "description": "",
        "url": "",
        "visibility": "shared",
    }
    data.update(changes)
    return data


def odt_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("kit.pdf", b"%PDF-1.4\n%...\n", id="pdf"),
        pytest.param("kit.odt", None, id="odt"),
        pytest.param("list.csv", "quartier;lieu\nCentre;Mairie\n".encode("cp1252"), id="csv"),
    ],
)
def test_a_manager_shares_a_file(world, login, name, content):
    content = content if content is not None else odt_bytes()
    upload = SimpleUploadedFile(name, content)
    response = login("alpha_manager").post(
        reverse("space:resource_create"), {**resource_data(world), "file": upload}
    )
    assert response.status_code == 302
    resource = Resource.objects.get(title="Kit")
    assert resource.file_size == upload.size
    download = login("alpha_manager").get(reverse("resources:download", args=[resource.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert b"".join(download.streaming_content) == content
    download.close()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("kit.exe", b"MZ\x90\x00", id="executable"),
        pytest.param("kit.pdf", b"<html><script>alert(1)</script>", id="html-named-pdf"),
        pytest.param("kit.odt", b"PK\x03\x04not really a zip", id="broken-zip"),
        pytest.param("kit.txt", b"\x00\x01binary", id="binary-named-txt"),
        pytest.param("kit.pdf", b"", id="empty"),
        pytest.param("kit", b"%PDF-1.4", id="no-extension"),
    ],
)
def test_files_whose_type_lies_are_refused(world, login, parse, name, content):
    response = login("alpha_manager").post(
        reverse("space:resource_create"),
        {**resource_data(world), "file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert "id_file" in errors_of(parse(response))
    assert not Resource.objects.filter(title="Kit").exists()


def test_uploads_over_the_limit_are_refused(world, login, parse, settings):
    settings.MENAGE_UPLOAD_MAX_BYTES = 1000
    response = login("alpha_manager").post(
        reverse("space:resource_create"),
        {**resource_data(world), "file": SimpleUploadedFile("kit.pdf", b"%PDF-" + b"x" * 2000)},
    )
    assert response.status_code == 400
    assert "1 kB" in parse(response).find(id="id_file_error").get_text()
    assert not Resource.objects.filter(title="Kit").exists()


def test_huge_uploads_are_refused_before_the_body_is_read(world, login, parse, settings):
    settings.MENAGE_UPLOAD_MAX_BYTES = 1000
    body = b"%PDF-" + b"x" * 2_000_000
    response = login("alpha_manager").post(
        reverse("space:resource_create"),
        {**resource_data(world), "file": SimpleUploadedFile("kit.pdf", body)},
    )
    assert response.status_code == 400
    assert "id_file" in errors_of(parse(response))
    assert not Resource.objects.filter(title="Kit").exists()


def test_a_resource_is_a_file_or_a_link(world, login, parse):
    client = login("alpha_manager")
    response = client.post(reverse("space:resource_create"), resource_data(world))
    assert "id_file" in errors_of(parse(response))
    response = client.post(
        reverse("space:resource_create"),
        {
            **resource_data(world, url="https://example.org/kit"),
            "file": SimpleUploadedFile("kit.pdf", b"%PDF-1.4"),
        },
    )
    assert "id_url" in errors_of(parse(response))
    response = client.post(
        reverse("space:resource_create"), resource_data(world, url="javascript:alert(1)")
    )
    assert "id_url" in errors_of(parse(response))
    assert not Resource.objects.filter(title="Kit").exists()
    client.post(reverse("space:resource_create"), resource_data(world, url="example.org/kit"))
    assert Resource.objects.get(title="Kit").url == "https://example.org/kit"


def test_every_form_field_has_a_label_and_its_hint_is_announced(world, login, parse):
    client = login("alpha_manager")
    for url in (
        reverse("space:campaign_create"),
        reverse("space:venue_create"),
        reverse("space:resource_create"),
        reverse("space:event_create", args=[world["alpha_public"].slug]),
        reverse("space:point_create", args=[world["alpha_public"].slug]),
        reverse("events:register", args=[world["alpha_public_event"].pk]),
    ):
        page = parse(client.get(url))
        form = page.find("main").find("form", method="post")
        for field in form.find_all(["input", "select", "textarea"]):
            if field.get("type") in ("hidden", "submit"):
                continue
            assert page.find("label", attrs={"for": field["id"]}) is not None, (url, field)
            for hint in (field.get("aria-describedby") or "").split():
                assert page.find(id=hint) is not None, (url, hint)
        assert form.get("novalidate") is not None  # our error messages, not the browser's
        assert form.find("input", attrs={"name": "csrfmiddlewaretoken"}) is not None, url


def test_organiser_forms_refuse_posts_without_the_csrf_token(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world["alpha_manager"])
    response = client.post(reverse("space:campaign_create"), campaign_data(world))
    assert response.status_code == 403
    assert not Campaign.objects.filter(slug="week").exists()
    response = client.post(reverse("space:event_delete", args=[world["alpha_public_event"].pk]))
    assert response.status_code == 403
    assert Event.objects.filter(pk=world["alpha_public_event"].pk).exists()
