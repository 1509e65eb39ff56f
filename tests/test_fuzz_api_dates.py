"""The API's dates, date-times and times: sane ranges with French errors, and a schema that matches the JSON."""

import re
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from api.fields import DateTimeField, TimeField

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def test_activity_add_deadline_time_is_sent_as_hh_mm_and_the_schema_says_so(
    client, agent, small_town, schema
):
    client.force_login(agent)
    activity = client.get(f"/api/v1/activities/{small_town['canteen'].pk}/").json()
    assert activity["add_deadline_time"] == "10:00"
    field = schema["Activity"]["properties"]["add_deadline_time"]
    assert "format" not in field  # OpenAPI/RFC 3339 `time` needs an offset: not what we send
    assert re.match(field["pattern"], activity["add_deadline_time"])


def test_agent_sets_a_add_deadline_time_as_hh_mm(client, agent, small_town):
    client.force_login(agent)
    url = f"/api/v1/activities/{small_town['canteen'].pk}/"
    response = client.patch(url, {"add_deadline_time": "12:30"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["add_deadline_time"] == "12:30"
    small_town["canteen"].refresh_from_db()
    assert small_town["canteen"].add_deadline_time == time(12, 30)


def test_birth_date_before_1900_is_refused_in_french(client, agent, small_town):
    client.force_login(agent)
    response = client.patch(
        f"/api/v1/children/{small_town['lea'].pk}/",
        {"birth_date": "0858-03-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["birth_date"] == ["Indiquez une date entre 1900 et 2100."]


def test_date_time_in_the_year_858_with_a_local_mean_time_offset_is_refused():
    field = DateTimeField()
    with pytest.raises(serializers.ValidationError) as error:
        field.run_validation("0858-03-01T12:00:00+00:09:21")
    assert error.value.detail == ["Indiquez une date et une heure entre 1970 et 2100."]
    with pytest.raises(serializers.ValidationError):
        field.run_validation("0001-01-01T00:00:00+05:00")


def test_date_time_in_range_is_kept_and_read_back_with_a_whole_offset():
    field = DateTimeField()
    value = field.run_validation("2026-12-02T15:30:00+01:00")
    assert value == datetime(2026, 12, 2, 15, 30, tzinfo=ZoneInfo("Europe/Paris"))
    assert field.to_representation(value).endswith("+01:00")


def test_time_field_refuses_nonsense():
    with pytest.raises(serializers.ValidationError):
        TimeField().run_validation("25:00")


def test_schema_describes_the_date_ranges(schema):
    birth_date = schema["Child"]["properties"]["birth_date"]
    assert birth_date["format"] == "date"
    assert re.match(birth_date["pattern"], "2017-03-02")
    assert not re.match(birth_date["pattern"], "0858-03-01")
    created = next(
        props[name]
        for props in (s.get("properties", {}) for s in schema.values())
        for name in props
        if props[name].get("format") == "date-time"
    )
    assert not re.match(created["pattern"], "0858-03-01T12:00:00+00:09")
