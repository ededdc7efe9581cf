"""Fill a vault with demo data: fifteen facilities, the two RRM cases from the Labor
Department's USMCA page (and one newer case), visits, interviews, hotline tips, grants and two
small attachments, in English and Spanish.

Everything goes through the record and attachment services, so demo records are validated,
journaled, indexed and audited like real work. Dates sit around 21 November 2026: by then some
follow-up actions are overdue and others upcoming. Records are built fresh on each call, so two
demo vaults never share record ids.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fieldkit.domain.choices import ActionStatus as A
from fieldkit.domain.choices import Allegation as Al
from fieldkit.domain.choices import CaseStage, Consent, RemediationParty, TriageStatus, VisitStatus
from fieldkit.domain.choices import MexicanState as St
from fieldkit.domain.choices import MilestoneStatus as M
from fieldkit.domain.choices import PersonRole as P
from fieldkit.domain.choices import RemedyKind as K
from fieldkit.domain.choices import RemedyStatus as R
from fieldkit.domain.choices import RiskLevel as Risk
from fieldkit.domain.choices import Sector as S
from fieldkit.domain.choices import TipChannel as Ch
from fieldkit.domain.choices import VisitPurpose as Vp
from fieldkit.domain.facility_history import sector_is_priority
from fieldkit.domain.records import (
    RECORD_TYPES,
    Case,
    Facility,
    Grant,
    Interview,
    Organization,
    Tip,
    Visit,
)
from fieldkit.domain.values import (
    Deadline,
    Disbursement,
    FollowUp,
    Indicator,
    Milestone,
    PersonMet,
    Remedy,
)
from fieldkit.services import demo_cases
from fieldkit.services import demo_text as txt
from fieldkit.services.demo_organizations import ORGANIZATIONS
from fieldkit.services.vault import Vault

D = dt.date
LM, DK, AT, MO = "Laura Méndez", "David Kessler", "Ana Sofía Treviño", "Michael Osei"

# case -> (visits, interviews, tips) linked to it
CASE_LINKS = {
    "german": (("german_2025", "german_2026"), ("colibri", "worker_a3"), ("german",)),
    "tire": (("tire_2025", "tire_2026"), ("ceiba", "worker_t7"), ("tire",)),
    "brakes": (("juarez",), ("garza",), ()),
}
VISIT_GRANTS = (
    ("jalisco", "voice"),
    ("aguascalientes", "justice"),
    ("tehuacan", "voices"),
    ("sinaloa", "voices"),
)
ATTACHMENTS = (
    ("tire_2025", "minuta_reunion_sindicato_2025-05-21.txt", txt.MINUTA, "Minuta de la reunión"),
    ("aguascalientes", "workshop_attendance_2026-11-18.csv", txt.ATTENDANCE_CSV, "Attendance"),
)


def fill_with_demo_data(vault: Vault) -> dict[str, int]:
    """Create the demo records in `vault`; returns how many records of each kind it made."""
    records = vault.records
    before = {cls.KIND: records.count(cls) for cls in RECORD_TYPES}
    facilities = {key: records.create(f) for key, f in _facilities().items()}
    grants = {key: records.create(g) for key, g in _grants().items()}
    organizations = {key: records.create(o) for key, o in _organizations().items()}
    visits = {key: records.create(v) for key, v in _visits(facilities, organizations).items()}
    interviews = {key: records.create(i) for key, i in _interviews(facilities, visits).items()}
    tips = {key: records.create(t) for key, t in _tips(facilities).items()}
    cases = {key: records.create(c) for key, c in _cases(facilities).items()}
    for visit_key, grant_key in VISIT_GRANTS:
        records.link(visits[visit_key], grants[grant_key])
    for case_key, (visit_keys, interview_keys, tip_keys) in CASE_LINKS.items():
        linked = [
            *(visits[k] for k in visit_keys),
            *(interviews[k] for k in interview_keys),
            *(tips[k] for k in tip_keys),
        ]
        for record in linked:
            # link() plans its change from the copy it is given: pass the stored case.
            records.link(records.get(Case, cases[case_key].id), record)
    for visit_key, filename, content, description in ATTACHMENTS:
        vault.attachments.attach_bytes(
            visits[visit_key], filename, content.encode("utf-8"), description=description
        )
    return {cls.KIND: records.count(cls) - before[cls.KIND] for cls in RECORD_TYPES}


# --- small builders ----------------------------------------------------------------------


def _usd(amount: str) -> Decimal:
    return Decimal(amount).quantize(Decimal("0.01"))


def _people(*rows: tuple[P, str, int]) -> tuple[PersonMet, ...]:
    return tuple(PersonMet(role=role, description=text, count=n) for role, text, n in rows)


def _todo(action: str, owner: str, due: dt.date, status: A = A.OPEN) -> FollowUp:
    return FollowUp(action=action, owner=owner, due=due, status=status)


def _remedy(kind: K, description: str, status: R, evidence: str = "") -> Remedy:
    return Remedy(kind=kind, description=description, status=status, evidence=evidence)


def _deadline(label: str, due: dt.date, done: bool = False) -> Deadline:
    return Deadline(label=label, due=due, done=done)


def _paid(on: dt.date, amount: str, note: str = "") -> Disbursement:
    return Disbursement(paid_on=on, amount=_usd(amount), note=note)


def _milestone(title: str, due: dt.date, status: M, evidence: str = "") -> Milestone:
    return Milestone(title=title, due=due, status=status, evidence=evidence)


def _indicator(name: str, unit: str, baseline: int, target: int, actual: int) -> Indicator:
    return Indicator(name=name, unit=unit, baseline=Decimal(baseline), target=Decimal(target),
                     actual=Decimal(actual))  # fmt: skip


# --- facilities --------------------------------------------------------------------------


def _facilities() -> dict[str, Facility]:
    facilities = {}
    for key, row in txt.FACILITIES.items():
        name, employer, parent, sector, state, town, unions, cba, legitimation = row
        facilities[key] = Facility(
            name=name, employer=employer, parent_company=parent, sector=sector, state=state,
            municipality=town, unions=unions, cba_registration=cba, cba_legitimation=legitimation,
            sector_agreement=txt.HULE if sector is S.RUBBER_TIRES else "",
            # Annex 31-A priority sectors (the rule table): manufacturing, services, mining.
            priority_sector=sector_is_priority(sector), trade_link=True,
            labor_events=demo_cases.LABOR_HISTORY.get(key, ()),
        )  # fmt: skip
    return facilities


# --- visits ------------------------------------------------------------------------------


def _organizations() -> dict[str, Organization]:
    return {
        key: Organization(name=name, org_type=kind, acronym=acronym, state=state, municipality=town)
        for key, (name, kind, acronym, state, town) in ORGANIZATIONS.items()
    }


def _visits(fac: dict[str, Facility], orgs: dict[str, Organization]) -> dict[str, Visit]:
    def visit(
        key: str,
        where: str,
        start: dt.date,
        purpose: Vp,
        people: tuple[PersonMet, ...],
        *follow_ups: FollowUp,
        by: tuple[str, ...],
        end: dt.date | None = None,
        draft: bool = False,
    ) -> tuple[str, Visit]:
        title, observations, findings = txt.VISIT_TEXT[key]
        facility, organization = fac.get(where), orgs.get(where)
        return key, Visit(
            facility_id=facility.id if facility else None,
            organization_id=organization.id if organization else None,
            start_date=start, end_date=end, purpose=purpose,
            attaches=by, people_met=people, observations=observations, findings=findings,
            follow_ups=follow_ups, status=VisitStatus.DRAFT if draft else VisitStatus.FINAL,
            summary=title,
        )  # fmt: skip

    union, hr = (P.UNION_DELEGATE, "Comité ejecutivo del sindicato", 5), (P.MANAGER, "RR. HH.", 2)
    return dict([
        visit("german_2025", "german", D(2025, 3, 11), Vp.CASE_FOLLOW_UP,
              _people(union, (P.MANAGER, "Recursos Humanos y jurídico", 3)),
              _todo("Pedir constancias de capacitación del turno nocturno", LM, D(2025, 5, 30),
                    A.DONE),
              by=(LM, DK), end=D(2025, 3, 12)),
        visit("german_2026", "german", D(2026, 6, 16), Vp.CASE_FOLLOW_UP,
              _people(union, (P.MANAGER, "Line supervisors", 2), (P.WORKER, "Workers", 4)),
              _todo("Ask HR how to complain without going through a supervisor", DK,
                    D(2026, 8, 31), A.DONE),
              _todo("Confirm the outcome of the second complaint", LM, D(2026, 10, 30)),
              _todo("Note to HQ on the zero-tolerance policy in practice", DK, D(2026, 12, 12)),
              by=(DK,)),
        visit("tire_2025", "tire", D(2025, 5, 20), Vp.CASE_FOLLOW_UP,
              _people((P.UNION_DELEGATE, "Secretario general y secretaria de trabajo", 2),
                      (P.MANAGER, "Gerente de planta y jefa de nómina", 2)),
              _todo("Recibir calendario de pago de prestaciones", AT, D(2025, 6, 30), A.DONE),
              by=(AT, MO), end=D(2025, 5, 21)),
        visit("tire_2026", "tire", D(2026, 9, 8), Vp.CASE_FOLLOW_UP,
              _people((P.UNION_DELEGATE, "Secretary general", 1), (P.MANAGER, "Payroll lead", 1)),
              _todo("Ask the company to share its payroll audit with the union", MO,
                    D(2026, 10, 15)),
              _todo("Verify the 2025 vacation premium is paid", AT, D(2026, 12, 19)),
              by=(AT,)),
        visit("guanajuato", "guanajuato", D(2025, 8, 26), Vp.MONITORING,
              _people((P.UNION_DELEGATE, "Independent union leadership", 4),
                      (P.WORKER, "Second-shift workers, off-site", 6)),
              _todo("Share summary with USTR colleagues", LM, D(2025, 9, 5), A.DONE),
              by=(LM, MO)),
        visit("nuevo_leon", "nuevo_leon", D(2026, 2, 17), Vp.MONITORING,
              _people((P.WORKER, "Trabajadores, fuera de la planta", 7), (P.NGO, "ONG aliada", 2)),
              _todo("Registrar el reporte sobre entrevistas de ingreso", LM, D(2026, 2, 20),
                    A.DONE),
              _todo("Consultar al CFCRL sobre solicitudes de constancia de representatividad",
                    LM, D(2026, 4, 30)),
              by=(LM,)),
        visit("juarez", "juarez", D(2026, 10, 14), Vp.MONITORING,
              _people((P.WORKER, "Workers campaigning on the CBA vote", 5),
                      (P.NGO, "Local labor-rights NGO", 2)),
              _todo("Delete contact details of the worker who withdrew consent", AT,
                    D(2026, 10, 15), A.DONE),
              _todo("Cross-check dismissal dates with CFCRL records", AT, D(2026, 11, 6)),
              _todo("Brief HQ before the vote", AT, D(2026, 11, 25)),
              by=(AT, DK), draft=True),
        visit("jalisco", "jalisco", D(2025, 11, 5), Vp.GRANT_MONITORING,
              _people((P.NGO, "Grantee trainers", 3), (P.WORKER, "Training participants", 34)),
              _todo("Ask the grantee for pre/post test data in digital form", MO,
                    D(2025, 12, 15), A.DONE),
              by=(MO,)),
        visit("tijuana", "tijuana", D(2026, 4, 22), Vp.MONITORING,
              _people((P.WORKER, "Comité de la coalición", 4),
                      (P.MANAGER, "Relaciones laborales", 2)),
              _todo("Volver después de la consulta de aprobación", DK, D(2026, 12, 5)),
              by=(DK,)),
        visit("tehuacan", "tehuacan", D(2026, 3, 10), Vp.GRANT_MONITORING,
              _people((P.NGO, "Equipo del proyecto e intérprete", 3),
                      (P.WORKER, "Costureras participantes del taller", 15)),
              _todo("Buscar el CCT de la planta en el registro público del CFCRL", LM,
                    D(2026, 4, 15), A.DONE),
              _todo("Pedir al proyecto versión escrita del material en náhuatl", LM,
                    D(2026, 9, 30)),
              by=(LM,), end=D(2026, 3, 11)),
        visit("yucatan", "yucatan", D(2026, 7, 15), Vp.MONITORING,
              _people((P.UNION_DELEGATE, "Union delegate", 1),
                      (P.WORKER, "Sewing-line workers", 3)),
              _todo("Check how overtime is assigned on the next visit", MO, D(2027, 1, 20)),
              by=(MO,)),
        visit("aerospace", "aerospace", D(2025, 10, 2), Vp.STAKEHOLDER_MEETING,
              _people(hr, (P.UNION_DELEGATE, "Union secretary general", 1)),
              _todo("Send written suggestion on an anonymous channel", DK, D(2025, 10, 17),
                    A.DONE),
              by=(DK, LM)),
        visit("sinaloa", "sinaloa", D(2026, 1, 27), Vp.GRANT_MONITORING,
              _people((P.WORKER, "Jornaleras y jornaleros", 20),
                      (P.NGO, "Promotoras del proyecto", 4), (P.MANAGER, "Encargado del campo", 1)),
              _todo("Pedir al proyecto datos de inscripción al IMSS de su muestra", AT,
                    D(2026, 3, 31), A.DONE),
              _todo("Revisar con la empresa el sistema de pesaje", AT, D(2026, 11, 13)),
              by=(AT,), end=D(2026, 1, 29)),
        visit("zacatecas", "zacatecas", D(2026, 8, 19), Vp.MONITORING,
              _people((P.UNION_DELEGATE, "Sección sindical", 3),
                      (P.MANAGER, "Seguridad industrial", 2)),
              _todo("Revisar registros REPSE de los contratistas", MO, D(2026, 9, 30)),
              by=(MO,), draft=True),
        visit("aguascalientes", "conciliation_ags", D(2026, 11, 18), Vp.GRANT_MONITORING,
              _people((P.OFFICIAL, "State conciliation center director and staff", 3), hr,
                      (P.UNION_DELEGATE, "Union delegates", 18)),
              _todo("Pass the center's case-management request to the grantee", MO,
                    D(2026, 12, 4)),
              by=(MO, LM), draft=True),
    ])  # fmt: skip


# --- interviews --------------------------------------------------------------------------


def _consent(key: str) -> Consent:
    return Consent.GIVEN_NO_QUOTES if key in txt.NO_QUOTES else Consent.GIVEN


def _interviews(fac: dict[str, Facility], visits: dict[str, Visit]) -> dict[str, Interview]:
    def interview(
        key: str, where: str, held_on: dt.date, who: tuple[str, P, str, Risk], *todo: FollowUp
    ) -> tuple[str, Interview]:
        pseudonym, role, language, risk = who
        place, details, scope, risk_notes, safe_contact = txt.INTERVIEW_CONTEXT.get(key, ("",) * 5)
        notes = txt.INTERVIEW_NOTES.get(key, "")
        visit = visits.get(where)
        return key, Interview(
            visit_id=visit.id if visit else None,
            facility_id=visit.facility_id if visit else fac[where].id,
            held_on=held_on, place=place, language=language, pseudonym=pseudonym, role=role,
            role_details=details, consent_scope=scope, risk=risk, risk_notes=risk_notes,
            safe_contact=safe_contact, notes=notes, follow_ups=todo,
            sharing_summary=txt.SHARING_SUMMARIES.get(key, ""),
            # Notes are kept only with consent: an interview without notes had it withdrawn.
            consent=_consent(key) if notes else Consent.WITHDRAWN,
        )  # fmt: skip

    w = P.WORKER
    return dict([
        interview("colibri", "german_2025", D(2025, 3, 11), ("Colibrí", w, "es", Risk.MEDIUM)),
        interview("worker_a3", "german_2026", D(2026, 6, 16), ("Worker A-3", w, "es", Risk.LOW)),
        interview("ceiba", "tire_2025", D(2025, 5, 21),
                  ("Ceiba", P.UNION_DELEGATE, "es", Risk.MEDIUM)),
        interview("worker_t7", "tire_2026", D(2026, 9, 8), ("Worker T-7", w, "es", Risk.LOW)),
        interview("jacaranda", "tehuacan", D(2026, 3, 10),
                  ("Jacaranda", w, "Náhuatl (con intérprete)", Risk.HIGH),
                  _todo("Preguntar por ella a la promotora en la próxima visita", LM,
                        D(2026, 12, 10))),
        interview("worker_j1", "juarez", D(2026, 10, 14), ("Worker J-1", w, "es", Risk.HIGH)),
        interview("garza", "juarez", D(2026, 10, 14), ("Garza", w, "es", Risk.HIGH),
                  _todo("Check in through the NGO after the vote", AT, D(2026, 12, 2))),
        interview("manager_m2", "aerospace", D(2025, 10, 2),
                  ("Manager M-2", P.MANAGER, "en", Risk.LOW)),
        interview("tule", "sinaloa", D(2026, 1, 28), ("Tule", w, "es", Risk.MEDIUM)),
        interview("official_o1", "aguascalientes", D(2026, 11, 18),
                  ("Official O-1", P.OFFICIAL, "es", Risk.LOW)),
        interview("mezquite", "queretaro_parts", D(2026, 5, 6), ("Mezquite", w, "es", Risk.MEDIUM),
                  _todo("Enviarle la guía para pedir copia del contrato al CFCRL", LM,
                        D(2026, 5, 8), A.DONE)),
    ])  # fmt: skip


# --- cases -------------------------------------------------------------------------------


def _cases(fac: dict[str, Facility]) -> dict[str, Case]:
    german = Case(
        reference="RRM-2022-04", facility_id=fac["german"].id, received_on=D(2022, 11, 7),
        petitioner="Sindicato independiente de la planta, con una organización sindical de EE. UU.",
        allegations=(Al.UNION_DISMISSAL, Al.FREEDOM_OF_ASSOCIATION, Al.EMPLOYER_INTERFERENCE),
        stage=CaseStage.REMEDIATION_AGREED, summary=txt.CASE_SUMMARY["german"],
        events=demo_cases.GERMAN_EVENTS, remediation_party=RemediationParty.COMPANY,
        remedies=(
            _remedy(K.REINSTATEMENT, "Reinstalación de 8 de los 10 trabajadores despedidos",
                    R.COMPLETED, "Actas de reinstalación de marzo de 2023; los ocho siguen en "
                    "nómina (visita del 11/03/2025)."),
            _remedy(K.LOST_WAGES, "Salarios caídos de los ocho trabajadores reinstalados",
                    R.VERIFIED, "Recibos revisados con el sindicato; un pago llegó tarde."),
            _remedy(K.BACK_PAY, "Back pay: wage differences owed to the eight under the CBA",
                    R.COMPLETED, "Payroll sample reviewed with the union, March 2023."),
            _remedy(K.TRAINING, "Training for workers and management on the new freedom of "
                    "association and collective bargaining laws", R.COMPLETED,
                    "Attendance lists for all three shifts; night shift done May 2025."),
            _remedy(K.NEUTRALITY_STATEMENT, "Declaración de neutralidad de la empresa",
                    R.COMPLETED, "Publicada en comedores y tableros de las tres naves."),
            _remedy(K.CONDUCT_GUIDELINES, "Conduct guidelines on freedom of association",
                    R.COMPLETED, "Signed guidelines received; part of supervisor onboarding."),
            _remedy(K.ZERO_TOLERANCE_POLICY, "Zero-tolerance policy for violations of the "
                    "conduct guidelines",
                    R.IN_PROGRESS, "Two complaints in 2026; one supervisor suspended."),
        ),
        deadlines=(
            _deadline("Reinstalación acordada", D(2023, 3, 31), True),
            _deadline("Training completed on all shifts", D(2025, 6, 30), True),
            _deadline("Informe a HQ sobre la política de cero tolerancia", D(2026, 12, 15)),
        ),
    )  # fmt: skip
    tire = Case(
        reference="RRM-2023-07", facility_id=fac["tire"].id, received_on=D(2023, 7, 18),
        petitioner="A coalition of U.S. and Mexican labor organizations",
        allegations=(Al.SECTOR_AGREEMENT_NOT_APPLIED, Al.PROTECTION_CONTRACT,
                     Al.COLLECTIVE_BARGAINING),
        stage=CaseStage.REMEDIATION_AGREED, summary=txt.CASE_SUMMARY["tire"],
        events=demo_cases.TIRE_EVENTS, remediation_party=RemediationParty.GOVERNMENTS,
        remedies=(
            _remedy(K.BACK_PAY, "Back pay: difference between wages paid and the contrato-ley "
                    "wage scale", R.COMPLETED, "Pago retroactivo en dos exhibiciones (enero y "
                    "abril de 2024); ver minuta del 21/05/2025."),
            _remedy(K.WAGE_INCREASE, "Higher wages: everyone on the contrato-ley wage scale",
                    R.COMPLETED, "Payroll sample of April 2025; new hires on the scale (2026)."),
            _remedy(K.OTHER, "Prestaciones del contrato-ley (prima vacacional, fondo de ahorro)",
                    R.IN_PROGRESS, "Fondo de ahorro pagado; prima vacacional 2025 en diciembre."),
            _remedy(K.OTHER, "Terminación del CCT de empresa firmado con un sindicato que no "
                    "representaba a los trabajadores", R.COMPLETED, "Constancia del CFCRL."),
        ),
        deadlines=(
            _deadline("Pago retroactivo completo", D(2024, 4, 30), True),
            _deadline("Prima vacacional 2025 pagada", D(2026, 12, 31)),
        ),
    )  # fmt: skip
    brakes = Case(
        reference="RRM-2026-19", facility_id=fac["juarez"].id, received_on=D(2026, 9, 29),
        petitioner="Coalición de trabajadores y una ONG de Ciudad Juárez",
        allegations=(Al.UNION_DISMISSAL, Al.LEGITIMATION_VOTE, Al.EMPLOYER_INTERFERENCE),
        stage=CaseStage.MEXICO_REVIEWING, summary=txt.CASE_SUMMARY["brakes"],
        events=demo_cases.BRAKES_EVENTS,
        remedies=(_remedy(K.REINSTATEMENT, "Reinstalación de los cuatro trabajadores "
                          "despedidos (solicitada por los peticionarios)", R.PENDING),),
        deadlines=(
            _deadline("Corroborar fechas de despido con el CFCRL", D(2026, 11, 6)),
            _deadline("Nota para HQ antes de los resultados de México", D(2026, 11, 27)),
        ),
    )  # fmt: skip
    return {"german": german, "tire": tire, "brakes": brakes}


# --- tips --------------------------------------------------------------------------------


def _tips(fac: dict[str, Facility]) -> dict[str, Tip]:
    rows: tuple[tuple[str, dt.date, Ch, TriageStatus], ...] = (
        ("german", D(2022, 10, 21), Ch.HOTLINE, TriageStatus.ASSESSING),
        ("tire", D(2023, 6, 30), Ch.PARTNER, TriageStatus.ASSESSING),
        ("juarez", D(2026, 9, 12), Ch.HOTLINE, TriageStatus.ASSESSING),
        ("tijuana", D(2026, 5, 4), Ch.EMAIL, TriageStatus.REFERRED),
        ("sinaloa", D(2026, 10, 30), Ch.HOTLINE, TriageStatus.NEW),
        ("nuevo_leon", D(2026, 2, 17), Ch.IN_PERSON, TriageStatus.ASSESSING),
        ("merida", D(2025, 12, 1), Ch.HOTLINE, TriageStatus.CLOSED),
        ("zacatecas", D(2026, 11, 10), Ch.OTHER, TriageStatus.NEW),
    )
    tips = {}
    for key, received, channel, triage in rows:
        subject, summary = txt.TIP_TEXT[key]
        facility_id = fac[key].id if key in fac else None
        tips[key] = Tip(received_on=received, channel=channel, subject=subject, summary=summary,
                        facility_id=facility_id, triage=triage)  # fmt: skip
    return tips


# --- grants ------------------------------------------------------------------------------


def _grants() -> dict[str, Grant]:
    voice = Grant(
        award_number="IL-35418-20-75-K", name="Voz Obrera: worker voice in autos and electronics",
        grantee="Red Mexicana por el Trabajo Digno (consorcio de organizaciones laborales)",
        amount=_usd("6500000"), period_start=D(2020, 12, 15), period_end=D(2026, 6, 30),
        objectives=txt.GRANT_OBJECTIVES["voice"],
        sectors=(S.AUTOS, S.AUTO_PARTS, S.ELECTRONICS),
        states=(St.GUA, St.JAL, St.NLE, St.CHH, St.PUE),
        disbursements=(_paid(D(2021, 3, 1), "1200000", "First tranche"),
                       _paid(D(2022, 2, 15), "1450000"), _paid(D(2023, 2, 15), "1500000"),
                       _paid(D(2024, 3, 1), "1350000"), _paid(D(2025, 3, 3), "600000")),
        milestones=(
            _milestone("Union-democracy curriculum validated", D(2021, 9, 30), M.MET,
                       "Curriculum and validation workshop report."),
            _milestone("500 worker promoters trained", D(2024, 12, 31), M.LATE,
                       "412 by December 2024; 530 by June 2025."),
            _milestone("Final evaluation", D(2026, 6, 30), M.LATE,
                       "Draft received 14 Sept 2026; final pending."),
        ),
        indicators=(_indicator("Workers trained on union democracy", "people", 0, 12000, 10450),
                    _indicator("Trainees who can explain a CBA vote", "%", 18, 75, 71),
                    _indicator("Active worker promoters", "people", 0, 500, 530)),
    )  # fmt: skip
    justice = Grant(
        award_number="IL-36072-21-75-K", name="Justicia Laboral Efectiva",
        grantee="Instituto para la Justicia Laboral y la Conciliación, A.C.",
        amount=_usd("9800000"), period_start=D(2021, 9, 30), period_end=D(2027, 3, 31),
        objectives=txt.GRANT_OBJECTIVES["justice"], sectors=(S.AUTOS, S.AGRICULTURE, S.OTHER),
        states=(St.AGU, St.SLP, St.QUE, St.SIN, St.ZAC),
        disbursements=(_paid(D(2021, 11, 15), "1800000"), _paid(D(2022, 10, 3), "2100000"),
                       _paid(D(2023, 10, 2), "2200000"), _paid(D(2024, 10, 1), "2000000"),
                       _paid(D(2025, 10, 1), "1100000", "Reduced: unspent 2025 balance")),
        milestones=(
            _milestone("Protocolo de conciliación colectiva publicado", D(2023, 6, 30), M.MET,
                       "Protocolo publicado y difundido en los centros estatales."),
            _milestone("Gestión digital de expedientes en 3 centros estatales", D(2025, 12, 31),
                       M.LATE, "Operando en 2 de 3 centros; Aguascalientes pendiente."),
            _milestone("600 conciliadores y personal de tribunales formados", D(2026, 6, 30),
                       M.MET, "642 personas certificadas."),
            _milestone("Informe final", D(2027, 3, 31), M.PENDING),
        ),
        indicators=(_indicator("Conciliadores certificados", "personas", 0, 600, 642),
                    _indicator("Días promedio a la audiencia de conciliación", "días", 45, 30, 33),
                    _indicator("Centros con expediente digital", "centros", 0, 3, 2)),
    )  # fmt: skip
    voices = Grant(
        award_number="IL-38215-23-75-K", name="Voces del Campo y la Costura",
        grantee="Fundación Hilos y Surcos, A.C., con organizaciones indígenas aliadas",
        amount=_usd("4250000"), period_start=D(2023, 10, 1), period_end=D(2027, 9, 30),
        objectives=txt.GRANT_OBJECTIVES["voices"], sectors=(S.APPAREL, S.AGRICULTURE),
        states=(St.PUE, St.YUC, St.SIN, St.GRO, St.OAX),
        disbursements=(_paid(D(2023, 12, 1), "900000"), _paid(D(2024, 11, 15), "1100000"),
                       _paid(D(2025, 11, 17), "950000")),
        milestones=(
            _milestone("Materiales en náhuatl, mixteco y maya", D(2024, 9, 30), M.LATE,
                       "Audio listo; falta la versión escrita en náhuatl."),
            _milestone("Módulos de orientación en 4 campos agrícolas", D(2025, 3, 31), M.MET,
                       "Cuatro módulos abiertos los domingos (visita de enero de 2026)."),
            _milestone("Evaluación intermedia", D(2025, 12, 31), M.MISSED,
                       "No entregada; el donatario pidió prórroga."),
            _milestone("Evaluación final", D(2027, 9, 30), M.PENDING),
        ),
        indicators=(_indicator("Personas orientadas en los módulos", "personas", 0, 8000, 5230),
                    _indicator("Trabajadoras de la confección capacitadas", "personas", 0, 1500,
                               960),
                    _indicator("Denuncias acompañadas", "casos", 0, 300, 118)),
    )  # fmt: skip
    grants = {"voice": voice, "justice": justice, "voices": voices}
    return {key: demo_cases.with_reports(grant) for key, grant in grants.items()}
