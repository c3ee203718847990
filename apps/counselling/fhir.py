"""FHIR resources from counselling: an Appointment for each of the patient's sessions."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import User
from apps.api.fhir import Context, instant
from apps.counselling.models import Booking

Found = list[tuple[object, dict[str, Any]]]

APPOINTMENT_STATUS = {
    Booking.Status.BOOKED: "booked",
    Booking.Status.CANCELLED: "cancelled",
    Booking.Status.CANCELLED_LATE: "cancelled",
    Booking.Status.ATTENDED: "fulfilled",
    Booking.Status.DID_NOT_ATTEND: "noshow",
}


def _appointment(booking: Booking, ctx: Context) -> dict[str, Any]:
    where = "Video call" if booking.location_kind == "video" else booking.location
    return {
        "resourceType": "Appointment",
        "id": str(booking.pk),
        "identifier": [{"system": "urn:ietf:rfc:5545", "value": str(booking.uid)}],
        "status": APPOINTMENT_STATUS.get(Booking.Status(booking.status), "booked"),
        "serviceType": [{"text": "Counselling"}],
        "description": f"Counselling session ({where})",
        "start": instant(booking.starts_at),
        "end": instant(booking.ends_at),
        "participant": [
            {"actor": {"reference": ctx.patient_ref}, "status": "accepted"},
            {"actor": {"display": booking.clinician.full_name}, "status": "accepted"},
        ],
    }


def resources_for(*, patient: User, ctx: Context) -> Found:
    bookings = (
        Booking.objects.filter(patient=patient)
        .select_related("clinician")
        .order_by("starts_at", "pk")
    )
    return [(b.pk, _appointment(b, ctx)) for b in bookings]
