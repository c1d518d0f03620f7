"""Schemathesis drives the measures API from its own OpenAPI schema (positive and negative
cases): no 5xx, every answer matches the schema, and the totals only ever count what the
API said it accepted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis.specs.openapi.checks import positive_data_acceptance


@pytest.fixture
def measures_schema(db: None) -> Iterator[Any]:
    from django.core.wsgi import get_wsgi_application

    from menage.platform.campaigns.models import Campaign
    from menage.platform.measures.models import ParticipationCode
    from menage.platform.organisations.models import Organisation

    today = dt.date.today()
    city = Organisation.objects.create(name="Ville", slug="ville-fuzz", kind="city")
    campaign = Campaign.objects.create(
        organisation=city, name="Semaine", slug="semaine-fuzz", kind="data",
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=3),
    )  # fmt: skip
    ParticipationCode.objects.create(campaign=campaign, code="FUZZ2345")
    # the WSGI handler closes the database connection when a response ends; inside a
    # test's transaction that would end it (PostgreSQL), so, as Django's test client
    # does, the connection is left open for the test
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode))
@pytest.mark.parametrize("real_code", [True, False], ids=["real-code", "any-code"])
def test_the_api_holds_its_schema(measures_schema: Any, settings: Any, mode: Any, real_code):
    settings.MENAGE_SUBMISSIONS_PER_CLIENT = 10**6
    settings.MENAGE_SUBMISSIONS_PER_CODE = 10**6
    operations = [result.ok() for result in measures_schema.get_all_operations()]
    assert len(operations) == 4
    # a real code, campaign and organisation, or anything the schema allows
    real = {"code": "FUZZ2345", "campaigns": "semaine-fuzz", "organisations": "ville-fuzz"}

    def fixed(op: Any) -> dict[str, str] | None:
        if not real_code:
            return None
        if "{code}" in op.path:
            return {"code": real["code"]}
        return {"slug": real["campaigns" if "/campaigns/" in op.path else "organisations"]}

    strategy = st.one_of(
        [op.as_strategy(generation_mode=mode, path_parameters=fixed(op)) for op in operations]
    )
    seen: set[int] = set()

    @given(case=strategy)
    @hypothesis_settings(
        max_examples=50,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Any) -> None:
        # plausibility rules the schema cannot say (a date in the future, more bytes freed
        # than moved) answer 400 to some schema-valid bodies, as docs/api.md says
        response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
        assert response.status_code < 500
        seen.add(response.status_code)

    check()
    from menage.platform.measures.models import Submission

    # whatever was stored passed validation: no negative number, no unknown field
    for row in Submission.objects.all():
        assert min(row.moved_bytes, row.freed_bytes, row.moved_files) >= 0
    assert seen
