"""FHIR resources from intake: the questionnaire as a QuestionnaireResponse, and Observations
for instrument scores and the clinician's test results (urine drug screen, liver blood test,
naloxone challenge)."""

from __future__ import annotations

from typing import Any

from apps.accounts.models import User
from apps.api.fhir import Context, day, instant
from apps.intake import instruments, questionnaire
from apps.intake.models import (
    LiverFunctionTest,
    NaloxoneChallenge,
    Pathway,
    QuestionnaireResponse,
    UrineDrugScreen,
)

LOINC = "http://loinc.org"
CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"

# LOINC codes for the total scores, where one exists for the instrument as published.
SCORE_LOINC = {"phq_9": "44261-6", "gad_7": "70274-6", "audit_c": "75626-2", "audit": "75624-7"}
INSTRUMENT_NAMES = {code: i.name for code, i in instruments.INSTRUMENTS.items()}

Found = list[tuple[object, dict[str, Any]]]


def _answer(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    if isinstance(value, float):
        return [{"valueDecimal": value}]
    if isinstance(value, list):
        return [a for item in value for a in _answer(item)]
    if value is None or value == "":
        return []
    return [{"valueString": str(value)}]


def _questionnaire_response(
    row: QuestionnaireResponse, submitted: bool, ctx: Context
) -> dict[str, Any]:
    titles = {s.key: s.title for s in questionnaire.STEPS}
    items = []
    for step, answers in row.answers.items():
        children = []
        for field, value in sorted(dict(answers or {}).items()):
            child: dict[str, Any] = {"linkId": f"{step}.{field}"}
            if answer := _answer(value):
                child["answer"] = answer
            children.append(child)
        group: dict[str, Any] = {"linkId": step, "text": titles.get(step, step)}
        if children:
            group["item"] = children
        items.append(group)
    resource: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "id": str(row.pk),
        "questionnaire": f"{ctx.system}/Questionnaire/intake",
        "status": "completed" if submitted else "in-progress",
        "subject": {"reference": ctx.patient_ref},
        "source": {"reference": ctx.patient_ref},
        "authored": instant(row.updated_at),
    }
    if items:
        resource["item"] = items
    return resource


def _observation(
    key: str,
    *,
    ctx: Context,
    category: str,
    text: str,
    effective: dict[str, str],
    loinc: str = "",
    value: dict[str, Any],
    extra: dict[str, Any] | None = None,
) -> tuple[object, dict[str, Any]]:
    code: dict[str, Any] = {"text": text}
    if loinc:
        code["coding"] = [{"system": LOINC, "code": loinc}]
    resource = {
        "resourceType": "Observation",
        "id": key,
        "status": "final",
        "category": [{"coding": [{"system": CATEGORY, "code": category}]}],
        "code": code,
        "subject": {"reference": ctx.patient_ref},
        **effective,
        **value,
        **(extra or {}),
    }
    return key, resource


def _scores(row: QuestionnaireResponse, ctx: Context) -> Found:
    found: Found = []
    for code, score in sorted(row.scores.items()):
        total = score.get("total") if isinstance(score, dict) else None
        if not isinstance(total, int):
            continue
        extra = {}
        if score.get("band_label"):
            extra["interpretation"] = [{"text": str(score["band_label"])}]
        found.append(
            _observation(
                f"score-{row.pk}-{code.replace('_', '-')}",
                ctx=ctx,
                category="survey",
                text=f"{INSTRUMENT_NAMES.get(code, code)} total score",
                loinc=SCORE_LOINC.get(code, ""),
                effective={"effectiveDateTime": instant(row.updated_at)},
                value={"valueInteger": total},
                extra=extra,
            )
        )
    return found


def _results(patient: User, ctx: Context) -> Found:
    found: Found = []
    for uds in UrineDrugScreen.objects.filter(patient=patient).order_by("taken_on", "pk"):
        for analyte in UrineDrugScreen.ANALYTES:
            found.append(
                _observation(
                    f"uds-{uds.pk}-{analyte}",
                    ctx=ctx,
                    category="laboratory",
                    text=f"Urine drug screen: {analyte}",
                    effective={"effectiveDateTime": day(uds.taken_on)},
                    value={"valueCodeableConcept": {"text": getattr(uds, analyte)}},
                )
            )
    for lft in LiverFunctionTest.objects.filter(patient=patient).order_by("taken_on", "pk"):
        tests = (
            ("alt", "1742-6", "Alanine aminotransferase (ALT)", lft.alt, "U/L", lft.alt_uln),
            ("ast", "1920-8", "Aspartate aminotransferase (AST)", lft.ast, "U/L", lft.ast_uln),
            ("bilirubin", "14631-6", "Bilirubin, total", lft.bilirubin, "umol/L", None),
        )
        for name, loinc, text, value, unit, uln in tests:
            quantity = {"value": value, "unit": unit, "system": UCUM, "code": unit}
            extra = {}
            if uln is not None:
                extra["referenceRange"] = [
                    {"high": {"value": uln, "unit": unit, "system": UCUM, "code": unit}}
                ]
            found.append(
                _observation(
                    f"lft-{lft.pk}-{name}",
                    ctx=ctx,
                    category="laboratory",
                    text=text,
                    loinc=loinc,
                    effective={"effectiveDateTime": day(lft.taken_on)},
                    value={"valueQuantity": quantity},
                    extra=extra,
                )
            )
    for nal in NaloxoneChallenge.objects.filter(patient=patient).order_by("done_on", "pk"):
        found.append(
            _observation(
                f"naloxone-{nal.pk}",
                ctx=ctx,
                category="procedure",
                text=f"Naloxone challenge ({nal.get_route_display()}, {nal.dose_mg} mg)",
                effective={"effectiveDateTime": day(nal.done_on)},
                value={"valueCodeableConcept": {"text": nal.result}},
            )
        )
    return found


def resources_for(*, patient: User, ctx: Context) -> Found:
    found: Found = []
    row = QuestionnaireResponse.objects.filter(patient=patient).first()
    if row is not None:
        submitted = Pathway.objects.filter(patient=patient, submitted_at__isnull=False).exists()
        found.append((row.pk, _questionnaire_response(row, submitted, ctx)))
        found += _scores(row, ctx)
    found += _results(patient, ctx)
    return found
