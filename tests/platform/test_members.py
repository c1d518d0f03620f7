"""Invitations by e-mail with a role, members and roles, approval of "part of", passwords."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from menage.platform.campaigns.models import Campaign
from menage.platform.organisations.models import Invitation, Membership, Organisation

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://testserver(/\S+)")


def link_in(message):
    found = LINK.search(message.body)
    assert found is not None, message.body
    return found.group(1)


def invite(manager, organisation, email, role="facilitator", new_kind=""):
    return manager.post(
        reverse("space:members"),
        {"organisation": organisation.pk, "email": email, "role": role, "new_kind": new_kind},
    )


def test_a_district_invites_a_school_that_registers_itself(world, login, client, sent_mail):
    manager = login("district_manager")
    response = invite(manager, world["district"], "Head@School.example", "manager", "school")
    assert response.status_code == 302
    (message,) = sent_mail()
    assert message.to == ["head@school.example"] and "District" in message.subject
    link = link_in(message)
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    response = client.post(
        link,
        {
            "organisation_name": "École Jules-Ferry",
            "first_name": "Jeanne",
            "last_name": "Head",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert response.status_code == 302
    school = Organisation.objects.get(name="École Jules-Ferry")
    assert school.parent == world["district"] and school.kind == "school"
    user = get_user_model().objects.get(email="head@school.example")
    assert Membership.objects.get(user=user, organisation=school).role == "manager"
    # the district's manager manages the new school too; the link is spent
    assert client.get(link).status_code == 404
    assert (
        "École Jules-Ferry"
        in login("district_manager").get(reverse("space:members")).content.decode()
    )
    # the new manager signs in with their e-mail address
    client.logout()
    signed = client.post(
        reverse("accounts:login"),
        {"username": "HEAD@school.example", "password": "a long enough passphrase"},
    )
    assert signed.status_code == 302


def test_an_existing_account_signs_in_to_accept(world, login, client, sent_mail):
    invite(login("alpha_manager"), world["alpha"], "beta_manager@example.org")
    link = link_in(sent_mail()[0])
    client.logout()
    page = client.get(link)
    assert reverse("accounts:login") in page.content.decode()
    beta = login("beta_manager")
    assert beta.post(link, {}).status_code == 302
    assert Membership.objects.get(user=world["beta_manager"], organisation=world["alpha"]).role == (
        "facilitator"
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"email": "not an address"}, "id_email", id="bad-email"),
        pytest.param({"role": "owner"}, "id_role_0", id="unknown-role"),
        pytest.param({"organisation": "beta"}, "id_organisation", id="another-organisation"),
        pytest.param({"new_kind": "school", "role": "facilitator"}, "id_role_0", id="child-role"),
    ],
)
def test_bad_invitations_are_refused(world, login, parse, data, field):
    values = {"organisation": world["alpha"].pk, "email": "x@example.org", "role": "facilitator"}
    if data.get("organisation") == "beta":
        data = {"organisation": world["beta"].pk}
    values.update(data)
    response = login("alpha_manager").post(reverse("space:members"), values)
    assert response.status_code == 400
    page = parse(response)
    assert field in [a["href"].lstrip("#") for a in page.find(class_="error-summary").find_all("a")]
    assert not Invitation.objects.exists() and mail.outbox == []


@pytest.mark.parametrize(
    "token",
    [pytest.param("nope", id="forged"), pytest.param("1:abc:def", id="bad-signature")],
)
def test_forged_invitation_links_find_nothing(world, client, token):
    assert client.get(reverse("invitation", args=[token])).status_code == 404


def test_managers_change_roles_and_remove_members_but_keep_one_manager(world, login):
    manager = login("alpha_manager")
    facilitator = Membership.objects.get(user=world["alpha_facilitator"])
    manager.post(reverse("space:member_role", args=[facilitator.pk]), {"role": "manager"})
    facilitator.refresh_from_db()
    assert facilitator.role == "manager"
    own = Membership.objects.get(user=world["alpha_manager"])
    manager.post(reverse("space:member_remove", args=[facilitator.pk]))
    assert not Membership.objects.filter(pk=facilitator.pk).exists()
    # the last manager stays
    manager.post(reverse("space:member_role", args=[own.pk]), {"role": "facilitator"})
    manager.post(reverse("space:member_remove", args=[own.pk]))
    own.refresh_from_db()
    assert own.role == "manager"
    # and nobody changes another organisation's members
    beta = Membership.objects.get(user=world["beta_manager"])
    assert manager.post(reverse("space:member_remove", args=[beta.pk])).status_code == 404
    assert login("alpha_facilitator").get(reverse("space:members")).status_code == 302


def test_an_operation_joins_a_wider_campaign_only_with_its_organisers_approval(
    world, login, client, parse
):
    wider = world["alpha_public"]
    beta = login("beta_manager")
    data = {
        "organisation": world["beta"].pk,
        "name": "Beta joins",
        "slug": "beta-joins",
        "kind": "data",
        "starts_on": world["start"].isoformat(),
        "ends_on": world["end"].isoformat(),
        "visibility": "public",
        "part_of": wider.pk,
    }
    assert beta.post(reverse("space:campaign_create"), data).status_code == 302
    operation = Campaign.objects.get(slug="beta-joins")
    assert not operation.part_of_approved
    client.logout()
    page = parse(client.get(wider.get_absolute_url()))
    assert "Beta joins" not in page.get_text()
    alpha = login("alpha_manager")
    home = parse(alpha.get(reverse("space:home")))
    assert "Beta joins" in home.get_text()
    # beta cannot approve its own request
    beta = login("beta_manager")
    assert beta.post(reverse("space:operation_approve", args=["beta-joins"])).status_code == 404
    login("alpha_manager").post(reverse("space:operation_approve", args=["beta-joins"]))
    operation.refresh_from_db()
    assert operation.part_of_approved
    client.logout()
    assert "Beta joins" in parse(client.get(wider.get_absolute_url())).get_text()
    # the wider campaign's organisers can remove it at any time
    login("alpha_manager").post(reverse("space:operation_detach", args=["beta-joins"]))
    operation.refresh_from_db()
    assert operation.part_of is None


def test_part_of_cannot_loop(world, login, parse):
    manager = login("alpha_manager")
    top, child = world["alpha_public"], world["alpha_private"]
    child.part_of = top
    child.save()
    data = {
        "organisation": world["alpha"].pk,
        "name": top.name,
        "slug": top.slug,
        "kind": "data",
        "starts_on": top.starts_on.isoformat(),
        "ends_on": top.ends_on.isoformat(),
        "visibility": "public",
        "part_of": child.pk,
    }
    response = manager.post(reverse("space:campaign_edit", args=[top.slug]), data)
    assert response.status_code == 400
    top.refresh_from_db()
    assert top.part_of is None


def test_organisations_cannot_be_below_themselves(world):
    from django.core.exceptions import ValidationError

    district = world["district"]
    district.parent = world["school"]
    with pytest.raises(ValidationError):
        district.full_clean()


def test_password_change_and_reset(world, login, client, sent_mail, parse):
    manager = login("alpha_manager")
    url = reverse("accounts:password_change")
    bad = manager.post(
        url, {"old_password": "wrong", "new_password1": "short", "new_password2": "short"}
    )
    assert bad.status_code == 200 and parse(bad).find(class_="error-summary") is not None
    good = manager.post(
        url,
        {
            "old_password": "pw-alpha_manager",
            "new_password1": "a brand new passphrase",
            "new_password2": "a brand new passphrase",
        },
    )
    assert good.status_code == 302
    client.logout()
    sent = client.post(reverse("accounts:password_reset"), {"email": "alpha_manager@example.org"})
    assert sent.status_code == 302
    # an unknown address gets the same answer and no mail
    client.post(reverse("accounts:password_reset"), {"email": "nobody@nowhere.example"})
    (message,) = sent_mail()
    assert message.to == ["alpha_manager@example.org"]
    link = link_in(message)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "yet another passphrase", "new_password2": "yet another passphrase"},
    )
    assert done.status_code == 302
    world["alpha_manager"].refresh_from_db()
    assert world["alpha_manager"].check_password("yet another passphrase")


def test_the_login_page_names_the_site_not_the_host(world, client, parse, settings):
    settings.MENAGE_SITE_NAME = "Nettoyage Montclair"
    page = parse(client.get(reverse("accounts:login")))
    assert "Nettoyage Montclair" in page.find("main").get_text()
    assert "testserver" not in page.get_text()
