"""The private calendar feed: opened by a secret address, stored only as a hash; a reset makes
the old address stop working at once."""

from __future__ import annotations

import hashlib

import icalendar
from django.urls import reverse

from apps.counselling import services
from apps.counselling.models import CalendarFeed
from tests.counselling.helpers import book, open_every_day


def _feed_url(token: str) -> str:
    return reverse("counselling:feed", kwargs={"feed_token": token})


def test_the_feed_lists_the_persons_appointments_and_only_theirs(client, patient, clinician):
    open_every_day(clinician)
    booking = book(patient, clinician)
    token = services.feed_reset(actor=patient)
    response = client.get(_feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "no-store" in response["Cache-Control"]
    cal = icalendar.Calendar.from_ical(response.content)
    (event,) = cal.walk("VEVENT")
    assert str(event["uid"]).startswith(str(booking.uid))
    # The clinician's own feed lists the sessions they hold.
    clinician_token = services.feed_reset(actor=clinician)
    cal = icalendar.Calendar.from_ical(client.get(_feed_url(clinician_token)).content)
    assert len(cal.walk("VEVENT")) == 1


def test_only_the_hash_is_stored(patient):
    token = services.feed_reset(actor=patient)
    stored = CalendarFeed.objects.get(user=patient).token_hash
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored


def test_resetting_the_feed_stops_the_old_address(client, patient):
    old = services.feed_reset(actor=patient)
    assert client.get(_feed_url(old)).status_code == 200
    new = services.feed_reset(actor=patient)
    assert new != old
    assert client.get(_feed_url(old)).status_code == 404
    assert client.get(_feed_url(new)).status_code == 200


def test_a_made_up_address_is_not_found(client, patient):
    services.feed_reset(actor=patient)
    assert client.get(_feed_url("not-a-real-secret")).status_code == 404


def test_the_reset_page_shows_the_new_address_once(client, patient):
    client.force_login(patient)
    response = client.post(reverse("counselling:feed-reset"))
    assert response.status_code == 200
    assert b"/calendar/feed/" in response.content
    again = client.get(reverse("counselling:feed-settings"))
    assert b"/calendar/feed/" not in again.content
    assert b"we cannot show it again" in again.content
