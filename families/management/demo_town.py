"""The demo town "Bessancourt": reference data, staff accounts, the 2026/2027 catalogue and generated families.

Used by `manage.py seed_demo`, the benchmarks and the query-count tests. Everything is deterministic (fixed
seeds) and idempotent: rows are looked up by their natural key (school name, activity name + start, unit code,
family code, user email) and only missing rows are created; existing rows are never modified.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from faker import Faker
from faker.providers.person.fr_FR import Provider as FrenchNames

from backoffice import roles
from families.models import (
    Activity,
    ActivityKind,
    Allergen,
    Child,
    Civility,
    ClassLevel,
    Contact,
    DeadlineKind,
    Diet,
    Family,
    Guardian,
    School,
    Unit,
    Vaccination,
    Vaccine,
)

SEED = 2026
DEMO_PASSWORD = "demo-portail-2026"
DEMO_DOMAIN = "demo.portail-famille.fr"
PARENT_EMAIL = f"parent@{DEMO_DOMAIN}"
BASE_URL = "http://127.0.0.1:8000"

TOWN = "Bessancourt"
TOWN_POSTCODE = "95550"

# The school year the demo catalogue covers.
SCHOOL_YEAR_START = date(2026, 9, 1)
SCHOOL_YEAR_END = date(2027, 7, 3)
SCHOOL_YEAR_LABEL = "2026-2027"
# Places per day of the Christmas holiday centre's "Journée avec repas" (few: full days, with a waiting list).
CHRISTMAS_PLACES = 12

# Neighbouring communes of Bessancourt (Val-d'Oise) and their real postcodes.
NEIGHBOURS = [
    ("Taverny", "95150"),
    ("Frépillon", "95740"),
    ("Saint-Leu-la-Forêt", "95320"),
    ("Pierrelaye", "95480"),
    ("Méry-sur-Oise", "95540"),
    ("Béthemont-la-Forêt", "95840"),
    ("Herblay-sur-Seine", "95220"),
    ("Montigny-lès-Cormeilles", "95370"),
    ("Chauvry", "95560"),
]

TOWN_STREETS = [
    "rue de Paris", "rue de Pontoise", "rue de Taverny", "rue de Frépillon", "rue Jean Jaurès",
    "rue Pierre Brossolette", "rue du Général de Gaulle", "rue de la Croix Blanche", "chemin des Meuniers",
    "allée des Tilleuls", "rue des Vignes", "rue de la Gare", "impasse des Coquelicots", "rue du Moulin",
    "avenue de la Forêt", "rue des Écoles", "rue de l'Abbaye", "place de la Mairie", "rue des Lilas",
    "résidence du Parc", "rue Louis Pasteur", "chemin de la Cavée", "rue des Aulnes", "allée des Érables",
]

GIRLS = [
    "Léa", "Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Mila", "Rose", "Anna", "Ambre", "Julia", "Mia",
    "Inès", "Léna", "Manon", "Juliette", "Lou", "Zoé", "Camille", "Sarah", "Eva", "Romane", "Agathe", "Nina",
    "Léonie", "Iris", "Margaux", "Lucie", "Jeanne", "Adèle", "Charlotte", "Sofia", "Victoire", "Clémence",
    "Maëlys", "Yasmine", "Aya", "Héloïse", "Capucine", "Louna", "Lyna", "Éléna", "Giulia", "Nour",
]
BOYS = [
    "Gabriel", "Léo", "Raphaël", "Louis", "Arthur", "Jules", "Adam", "Maël", "Lucas", "Hugo", "Noah", "Liam",
    "Sacha", "Gabin", "Nathan", "Tom", "Paul", "Aaron", "Mohamed", "Léon", "Éthan", "Théo", "Nolan", "Timéo",
    "Martin", "Mathis", "Axel", "Victor", "Antoine", "Rayan", "Valentin", "Samuel", "Ibrahim", "Noé", "Marius",
    "Baptiste", "Malo", "Isaac", "Naël", "Yanis", "Lenny", "Ayden", "Côme", "Eden",
]
MOTHERS = [
    "Julie", "Aurélie", "Émilie", "Céline", "Stéphanie", "Sandrine", "Camille", "Laura", "Marion", "Élodie",
    "Sophie", "Anne", "Caroline", "Audrey", "Mélanie", "Virginie", "Nadia", "Sarah", "Fatima", "Amandine",
    "Claire", "Pauline", "Karine", "Laetitia", "Vanessa", "Jessica", "Charlotte", "Hélène", "Leïla", "Marine",
]
FATHERS = [
    "Nicolas", "Julien", "Sébastien", "Guillaume", "Thomas", "Alexandre", "Maxime", "Romain", "Jérôme", "Mathieu",
    "Christophe", "David", "Kevin", "Anthony", "Florian", "Vincent", "Olivier", "Mehdi", "Karim", "Stéphane",
    "Benjamin", "Cédric", "Damien", "Arnaud", "Pierre", "Yann", "Fabien", "Samir", "Ludovic", "Jonathan",
]
CONTACT_LINKS = [
    ("Grand-mère", "f"), ("Grand-père", "m"), ("Tante", "f"), ("Oncle", "m"), ("Voisine", "f"),
    ("Voisin", "m"), ("Marraine", "f"), ("Parrain", "m"), ("Assistante maternelle", "f"), ("Amie de la famille", "f"),
]
EMPLOYERS = [
    "Mairie de Taverny", "Hôpital Simone Veil (Eaubonne)", "Éducation nationale", "SNCF Voyageurs", "La Poste",
    "Carrefour Montsoult", "Safran (Méry-sur-Oise)", "Conseil départemental du Val-d'Oise", "Auchan Saint-Leu",
    "Aéroport Paris-Charles de Gaulle", "Indépendant", "Crédit Agricole", "Leroy Merlin Herblay",
]
PROFESSIONS = [
    "infirmière", "enseignant", "comptable", "aide-soignante", "commercial", "technicien de maintenance",
    "secrétaire médicale", "ingénieur", "agent territorial", "conducteur de bus", "développeuse", "boulanger",
    "pharmacienne", "auxiliaire de puériculture", "électricien", "cadre administratif", "chef de projet",
]

# Official 2026/2027 school holidays of zone C (Créteil, Montpellier, Paris, Toulouse — and Versailles, the
# académie of the Val-d'Oise), first and last holiday day as published by the ministry (BO n° 33, 2025).
# Only used when vacances-scolaires-france has no data for a period.
ZONE_C_HOLIDAYS_2026_2027 = {
    "Vacances de la Toussaint": (date(2026, 10, 17), date(2026, 11, 1)),
    "Vacances de Noël": (date(2026, 12, 19), date(2027, 1, 3)),
    "Vacances d'hiver": (date(2027, 2, 6), date(2027, 2, 21)),
    "Vacances de printemps": (date(2027, 4, 3), date(2027, 4, 18)),
    "Vacances d'été": (date(2027, 7, 3), date(2027, 8, 31)),
}
HOLIDAY_TITLES = {
    "Vacances de la Toussaint": "vacances de la Toussaint",
    "Vacances de Noël": "vacances de Noël",
    "Vacances d'hiver": "vacances d'hiver",
    "Vacances de printemps": "vacances de printemps",
    "Vacances d'été": "vacances d'été",
}

STAFF = [
    # email, first name, last name, role, superuser
    (f"agent@{DEMO_DOMAIN}", "Nadia", "Benali", roles.AGENTS, False),
    (f"regie@{DEMO_DOMAIN}", "Philippe", "Lemoine", roles.REGISSEURS, False),
    (f"animation@{DEMO_DOMAIN}", "Karima", "Haddad", roles.ANIMATEURS, False),
    (f"communication@{DEMO_DOMAIN}", "Élise", "Fontaine", roles.COMMUNICATION, False),
    (f"admin@{DEMO_DOMAIN}", "Marc", "Delaunay", roles.ADMINISTRATEURS, True),
]


# --------------------------------------------------------------------------------------------------------------
# Reference data: schools, catalogue, accounts
# --------------------------------------------------------------------------------------------------------------

SCHOOLS = [
    # name, kind, address, phone, level codes
    ("École maternelle Les Coquelicots", School.Kind.MATERNELLE, "12 rue des Écoles", "01 30 40 12 10",
     ["TPS", "PS", "MS", "GS"]),
    ("École élémentaire Jean Jaurès", School.Kind.ELEMENTAIRE, "3 rue Jean Jaurès", "01 30 40 12 20",
     ["CP", "CE1", "CE2", "CM1", "CM2"]),
    ("École primaire Louise Michel", School.Kind.PRIMAIRE, "45 rue de Pontoise", "01 30 40 12 30",
     ["PS", "MS", "GS", "CP", "CE1", "CE2", "CM1", "CM2"]),
]


def ensure_schools() -> dict[str, School]:
    levels = {lvl.code: lvl for lvl in ClassLevel.objects.all()}
    schools = {}
    for name, kind, address, phone, codes in SCHOOLS:
        school, created = School.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "address": address, "postcode": TOWN_POSTCODE, "commune": TOWN, "phone": phone},
        )
        if created:
            school.levels.set([levels[c] for c in codes])
        schools[kind] = school
    return schools


def holiday_periods(zone: str) -> list[tuple[str, date, date]]:
    """The 2026/2027 holidays of `zone` from vacances-scolaires-france, falling back to the official dates."""
    try:
        from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

        calendar = SchoolHolidayDates()
    except ImportError:  # pragma: no cover - the library is a declared dependency
        calendar = None
    periods = []
    for name, fallback in ZONE_C_HOLIDAYS_2026_2027.items():
        days: list[date] = []
        if calendar is not None:
            for year in (2026, 2027):
                try:
                    days += list(calendar.holidays_for_year_zone_and_name(year, zone, name))
                except UnsupportedYearException:
                    pass
        # One holiday name per school year: keep the days that fall in (or just after) 2026/2027.
        days = sorted(d for d in days if SCHOOL_YEAR_START < d <= date(2027, 8, 31))
        if days:
            periods.append((name, days[0], days[-1]))
        else:
            periods.append((name, *fallback))
    return periods


@dataclass(frozen=True)
class UnitSpec:
    code: str
    label: str
    start: time | None
    end: time | None
    group: str = ""
    capacity: int | None = None


def _ensure_activity(name: str, kind: str, start: date, end: date, units: list[UnitSpec], **fields) -> Activity:
    activity, created = Activity.objects.get_or_create(
        name=name, period_start=start, defaults={"kind": kind, "period_end": end, **fields}
    )
    existing = set(activity.units.values_list("code", flat=True)) if not created else set()
    for position, spec in enumerate(units, start=1):
        if spec.code in existing:
            continue
        Unit.objects.create(
            activity=activity, code=spec.code, label=spec.label, start_time=spec.start, end_time=spec.end,
            exclusive_group=spec.group, capacity=spec.capacity, position=position,
        )
    return activity


def ensure_catalogue(zone: str) -> list[Activity]:
    """Restauration, périscolaire, mercredis and the holiday centres of 2026/2027."""
    year = SCHOOL_YEAR_LABEL
    ps = ClassLevel.objects.get(code="PS")
    cm2 = ClassLevel.objects.get(code="CM2")
    school_year = {
        "period_end": SCHOOL_YEAR_END,
        "registration_opens": date(2026, 5, 4),
        "registration_closes": date(2027, 6, 30),
        "min_level": ps,
        "max_level": cm2,
    }
    activities = [
        _ensure_activity(
            f"Restauration scolaire {year}", ActivityKind.RESTAURATION, SCHOOL_YEAR_START, SCHOOL_YEAR_END,
            [
                UnitSpec("repas-classique", "Repas classique", time(11, 30), time(13, 30), "repas"),
                UnitSpec("repas-vegetarien", "Repas végétarien", time(11, 30), time(13, 30), "repas"),
            ],
            description="Déjeuner à la cantine les lundis, mardis, jeudis et vendredis. Réservation ou "
            "annulation jusqu'à 3 jours ouvrés avant 10h.",
            add_deadline_days=3, add_deadline_kind=DeadlineKind.WORKING_DAYS, add_deadline_time=time(10, 0),
            cancel_deadline_days=3, cancel_deadline_kind=DeadlineKind.WORKING_DAYS, cancel_deadline_time=time(10, 0),
            **{k: v for k, v in school_year.items() if k != "period_end"},
        ),
        _ensure_activity(
            f"Accueil périscolaire {year}", ActivityKind.PERISCOLAIRE, SCHOOL_YEAR_START, SCHOOL_YEAR_END,
            [
                UnitSpec("accueil-matin", "Accueil 7h15-8h30", time(7, 15), time(8, 30), capacity=60),
                UnitSpec("accueil-soir", "Accueil 16h30-19h00", time(16, 30), time(19, 0), capacity=90),
            ],
            description="Accueil du matin avant la classe et du soir après la classe (goûter fourni le soir).",
            add_deadline_days=3, add_deadline_kind=DeadlineKind.WORKING_DAYS, add_deadline_time=time(10, 0),
            cancel_deadline_days=3, cancel_deadline_kind=DeadlineKind.WORKING_DAYS, cancel_deadline_time=time(10, 0),
            **{k: v for k, v in school_year.items() if k != "period_end"},
        ),
        _ensure_activity(
            f"Mercredis loisirs {year}", ActivityKind.MERCREDI, SCHOOL_YEAR_START, SCHOOL_YEAR_END,
            [
                UnitSpec("journee", "Journée", time(7, 30), time(18, 30), "mercredi"),
                UnitSpec("matin", "Matin", time(7, 30), time(12, 0), "mercredi"),
                UnitSpec("apres-midi-repas", "Après-midi avec repas", time(11, 30), time(18, 30), "mercredi"),
            ],
            description="Accueil de loisirs du mercredi au centre Les Meuniers : journée, matin ou après-midi "
            "avec repas.",
            add_deadline_days=8, add_deadline_kind=DeadlineKind.CALENDAR_DAYS, add_deadline_time=time(10, 0),
            cancel_deadline_days=8, cancel_deadline_kind=DeadlineKind.CALENDAR_DAYS, cancel_deadline_time=time(10, 0),
            capacity=80, requires_validation=True,
            monday=False, tuesday=False, wednesday=True, thursday=False, friday=False,
            **{k: v for k, v in school_year.items() if k != "period_end"},
        ),
    ]
    for name, start, end in holiday_periods(zone):
        title = HOLIDAY_TITLES[name]
        # Bessancourt: each holiday period closes at a fixed date, the end of its registration (to add and cancel).
        closes_at = datetime.combine(start - timedelta(weeks=2), time(23, 59), tzinfo=ZoneInfo("Europe/Paris"))
        activities.append(_ensure_activity(
            f"Accueil de loisirs — {title} {start.year}", ActivityKind.VACANCES, start, end,
            [
                # The Christmas centre has few places: its busiest days fill up and have a waiting list.
                UnitSpec("journee", "Journée avec repas", time(7, 30), time(18, 30), "vacances",
                         capacity=CHRISTMAS_PLACES if name == "Vacances de Noël" else None),
                UnitSpec("matin-repas", "Matin avec repas", time(7, 30), time(13, 30), "vacances"),
            ],
            description=f"Centre de loisirs pendant les {title} (zone {zone}), pour les enfants de la "
            "petite section au CM2. Inscription à la journée.",
            registration_opens=start - timedelta(weeks=6), registration_closes=start - timedelta(weeks=2),
            add_deadline_kind=DeadlineKind.FIXED, add_deadline_at=closes_at,
            cancel_deadline_kind=DeadlineKind.FIXED, cancel_deadline_at=closes_at,
            capacity=120, requires_validation=True, min_level=ps, max_level=cm2, wednesday=True,
        ))
    _evening_requires_a_meal(activities[1], activities[0])
    return activities


def _evening_requires_a_meal(periscolaire: Activity, canteen: Activity) -> None:
    """The evening périscolaire needs a canteen meal the same day (classique or végétarien), set once."""
    evening = periscolaire.units.get(code="accueil-soir")
    if not evening.requires.exists():
        evening.requires.set(canteen.units.filter(code__in=["repas-classique", "repas-vegetarien"]))


def ensure_staff(password: str = DEMO_PASSWORD) -> list:
    """One account per staff role; returns (role, user) pairs. Existing accounts are left as they are."""
    User = get_user_model()
    accounts = []
    for email, first, last, role, superuser in STAFF:
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            create = User.objects.create_superuser if superuser else User.objects.create_user
            user = create(email=email, password=password, first_name=first, last_name=last,
                          is_staff=role in roles.STAFF_ROLES)
            group, _created = Group.objects.get_or_create(name=role)
            user.groups.add(group)
        accounts.append((role, user))
    return accounts


def ensure_parent_user(password: str = DEMO_PASSWORD):
    User = get_user_model()
    user = User.objects.filter(email__iexact=PARENT_EMAIL).first()
    if user is None:
        user = User.objects.create_user(email=PARENT_EMAIL, password=password, first_name="Camille",
                                        last_name="Dubois")
    return user


# --------------------------------------------------------------------------------------------------------------
# Families, detailed (ORM saves, history) and bulk (benchmarks)
# --------------------------------------------------------------------------------------------------------------

def level_rank_for(birth_year: int) -> int:
    """Class level rank for 2026/2027: born 2023 → PS (1) … born 2016 → CM2 (8)."""
    return SCHOOL_YEAR_START.year - birth_year - 2


def _phone(rng: random.Random, prefix: str | None = None) -> str:
    prefix = prefix or rng.choice(["06", "06", "07"])
    return " ".join([prefix, *(f"{rng.randint(0, 99):02d}" for _ in range(4))])


def _birth_date(rng: random.Random, year: int) -> date:
    return date(year, 1, 1) + timedelta(days=rng.randint(0, 364))


def _address(rng: random.Random, street_name: Callable[[], str]) -> tuple[str, str, str]:
    if rng.random() < 0.78:
        return f"{rng.randint(1, 140)} {rng.choice(TOWN_STREETS)}", TOWN_POSTCODE, TOWN
    commune, postcode = rng.choice(NEIGHBOURS)
    return f"{rng.randint(1, 80)} {street_name()}", postcode, commune


def _regime(rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.84:
        return Family.Regime.CAF, f"{rng.randint(1000000, 9999999)}"
    if roll < 0.87:
        return Family.Regime.MSA, f"{rng.randint(10000000, 99999999)}"
    if roll < 0.91:
        return Family.Regime.OTHER, ""
    return Family.Regime.NONE, ""


def _children_count(rng: random.Random) -> int:
    return rng.choices([1, 2, 3, 4], weights=[30, 45, 20, 5])[0]


def _birth_years(rng: random.Random, n: int) -> list[int]:
    return sorted(rng.sample(range(2016, 2024), n))


def _school_for(schools: dict[str, School], sector: str, rank: int) -> School:
    if sector == "primaire":
        return schools[School.Kind.PRIMAIRE]
    return schools[School.Kind.MATERNELLE] if rank <= 3 else schools[School.Kind.ELEMENTAIRE]


@dataclass
class DemoFamily:
    """Everything generated for one family, before it is written."""

    family: Family
    guardians: list[Guardian]
    children: list[tuple[Child, list[str], list[tuple[str, date]]]]  # child, allergen codes, vaccinations
    contacts: list[Contact]


VACCINE_SCHEDULE = [  # vaccine, age in days (calendrier vaccinal 2018+)
    (Vaccine.DTP, 61), (Vaccine.COQUELUCHE, 61), (Vaccine.HIB, 61), (Vaccine.HEPATITE_B, 61),
    (Vaccine.DTP, 122), (Vaccine.PNEUMOCOQUE, 122), (Vaccine.MENINGOCOQUE_C, 152),
    (Vaccine.DTP, 335), (Vaccine.ROR, 365), (Vaccine.ROR, 487),
]
PAI_TEXTS = {
    "arachides": "PAI allergie à l'arachide : trousse d'urgence (adrénaline auto-injectable) dans le sac, "
    "panier-repas fourni par la famille.",
    "lait": "PAI allergie aux protéines de lait de vache : éviction stricte, repas adapté.",
    "oeufs": "PAI allergie à l'œuf : éviction stricte, antihistaminique en cas de réaction.",
    "fruits-a-coque": "PAI allergie aux fruits à coque : trousse d'urgence, panier-repas.",
    "gluten": "PAI maladie cœliaque : régime sans gluten, panier-repas fourni par la famille.",
}


class FamilyGenerator:
    """Deterministic generation of believable families of the town (Faker seeded, fixed random seed)."""

    def __init__(self, schools: dict[str, School], seed: int = SEED):
        self.rng = random.Random(seed)
        self.fake = Faker("fr_FR")
        self.fake.seed_instance(seed)
        self.schools = schools
        self.emails: set[str] = {PARENT_EMAIL}
        self.levels = {lvl.rank: lvl for lvl in ClassLevel.objects.all()}

    def _email(self, first: str, last: str) -> str:
        base = f"{slugify(first)}.{slugify(last)}".replace("-", "")
        domain = self.rng.choice(["example.org", "example.com", "example.net"])
        email, n = f"{base}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.emails.add(email)
        return email

    def _guardian(self, family: Family, civility: str, first: str, last: str, *, billing: bool,
                  email: str | None = None) -> Guardian:
        rng = self.rng
        return Guardian(
            family=family, civility=civility, first_name=first, last_name=last,
            relationship=Guardian.Relationship.MOTHER if civility == Civility.MME else Guardian.Relationship.FATHER,
            email=email or self._email(first, last), phone_mobile=_phone(rng),
            phone_home=_phone(rng, "01") if rng.random() < 0.3 else "",
            phone_work=_phone(rng, "01") if rng.random() < 0.4 else "",
            employer=rng.choice(EMPLOYERS) if rng.random() < 0.8 else "",
            profession=rng.choice(PROFESSIONS), is_billing_contact=billing,
        )

    def _child(self, family: Family, last: str, year: int, sector: str, first_names: set[str]):
        rng = self.rng
        sex = rng.choice([Child.Sex.F, Child.Sex.M])
        pool = GIRLS if sex == Child.Sex.F else BOYS
        first = rng.choice([n for n in pool if n not in first_names])
        first_names.add(first)
        birth = _birth_date(rng, year)
        rank = level_rank_for(year)
        diet = rng.choices([Diet.CLASSIQUE, Diet.VEGETARIEN, Diet.SANS_PORC], weights=[85, 9, 6])[0]
        allergens: list[str] = []
        pai = ""
        if rng.random() < 0.09:
            allergens = rng.sample(["arachides", "lait", "oeufs", "fruits-a-coque", "gluten", "poissons",
                                    "soja", "sesame", "moutarde"], rng.choice([1, 1, 2]))
            if allergens[0] in PAI_TEXTS and rng.random() < 0.6:
                pai = PAI_TEXTS[allergens[0]]
        if not pai and rng.random() < 0.02:
            pai = "PAI asthme : ventoline dans le sac, prévenir la famille en cas de crise."
        child = Child(
            family=family, first_name=first, last_name=last, sex=sex, birth_date=birth,
            school=_school_for(self.schools, sector, rank), class_level=self.levels[rank], diet=diet,
            has_pai=bool(pai), pai_details=pai,
            allergies_other="Intolérance au kiwi." if rng.random() < 0.02 else "",
            doctor_name=f"Dr {self.fake.last_name()}", doctor_phone=_phone(rng, "01"),
            image_rights=rng.random() < 0.8, may_leave_alone=rank >= 7 and rng.random() < 0.3,
            health_form_confirmed_on=date(2026, 8, 20) + timedelta(days=rng.randint(0, 40))
            if rng.random() < 0.85 else None,
        )
        vaccinations = [(v, birth + timedelta(days=age + rng.randint(0, 20))) for v, age in VACCINE_SCHEDULE]
        return child, allergens, vaccinations

    def generate(self, index: int) -> DemoFamily:
        """Family number `index` (1-based), coded F-000001…; number 1 is the demo parent's family."""
        if index == 1:
            return self._parent_family()
        rng, fake = self.rng, self.fake
        last = fake.last_name()
        shape = rng.choices(["couple", "mother", "father"], weights=[70, 24, 6])[0]
        mother = rng.choice(MOTHERS)
        father = rng.choice(FATHERS)
        if shape == "couple":
            name = f"{last.upper()} {father} et {mother}"
        else:
            name = f"{last.upper()} {mother if shape == 'mother' else father}"
        address, postcode, commune = _address(rng, fake.street_name)
        regime, number = _regime(rng)
        family = Family(
            code=Family.code_for(index), name=name, address_line1=address,
            address_line2=f"Bâtiment {rng.choice('ABC')}" if rng.random() < 0.08 else "",
            postcode=postcode, commune=commune, allocataire_regime=regime, allocataire_number=number,
            paperless_invoices=rng.random() < 0.6,
        )
        guardians = []
        if shape in ("couple", "mother"):
            mother_last = last if shape == "mother" or rng.random() < 0.8 else fake.last_name()
            guardians.append(self._guardian(family, Civility.MME, mother, mother_last, billing=True))
        if shape in ("couple", "father"):
            guardians.append(self._guardian(family, Civility.M, father, last, billing=shape == "father"))
        sector = rng.choice(["ecoles", "ecoles", "primaire"])
        first_names: set[str] = set()
        children = [self._child(family, last, y, sector, first_names)
                    for y in _birth_years(rng, _children_count(rng))]
        contacts = []
        for _ in range(rng.choice([1, 1, 2])):
            relationship, sex = rng.choice(CONTACT_LINKS)
            contacts.append(Contact(
                family=family, first_name=rng.choice(MOTHERS if sex == "f" else FATHERS),
                last_name=last if relationship.startswith(("Grand", "Oncle", "Tante")) else fake.last_name(),
                relationship=relationship, phone=_phone(rng), may_pick_up=rng.random() < 0.85,
                is_emergency=rng.random() < 0.6,
            ))
        return DemoFamily(family, guardians, children, contacts)

    def _parent_family(self) -> DemoFamily:
        """The family of parent@demo.portail-famille.fr: three children, one with a peanut PAI."""
        rng = self.rng
        family = Family(
            code=Family.code_for(1), name="DUBOIS Thomas et Camille", address_line1="18 rue des Vignes",
            postcode=TOWN_POSTCODE, commune=TOWN, allocataire_regime=Family.Regime.CAF,
            allocataire_number="4521873", paperless_invoices=True,
        )
        guardians = [
            self._guardian(family, Civility.MME, "Camille", "Dubois", billing=True, email=PARENT_EMAIL),
            self._guardian(family, Civility.M, "Thomas", "Dubois", billing=False),
        ]
        children = []
        for first, sex, birth, allergens, pai, diet in [
            ("Léa", Child.Sex.F, date(2018, 4, 12), [], "", Diet.CLASSIQUE),
            ("Hugo", Child.Sex.M, date(2021, 9, 3), ["arachides"], PAI_TEXTS["arachides"], Diet.CLASSIQUE),
            ("Jade", Child.Sex.F, date(2023, 2, 20), [], "", Diet.VEGETARIEN),
        ]:
            rank = level_rank_for(birth.year)
            child = Child(
                family=family, first_name=first, last_name="Dubois", sex=sex, birth_date=birth,
                school=_school_for(self.schools, "ecoles", rank), class_level=self.levels[rank], diet=diet,
                has_pai=bool(pai), pai_details=pai, doctor_name="Dr Lefèvre", doctor_phone="01 30 40 55 66",
                image_rights=True, health_form_confirmed_on=date(2026, 8, 28),
            )
            vaccinations = [(v, birth + timedelta(days=age)) for v, age in VACCINE_SCHEDULE]
            children.append((child, allergens, vaccinations))
        contacts = [
            Contact(family=family, first_name="Monique", last_name="Dubois", relationship="Grand-mère",
                    phone="06 11 22 33 44", may_pick_up=True, is_emergency=True),
            Contact(family=family, first_name="Sylvie", last_name="Garnier", relationship="Voisine",
                    phone="06 55 44 33 22", may_pick_up=True, is_emergency=False),
        ]
        rng.random()  # keep the stream aligned whatever the hand-written family draws
        return DemoFamily(family, guardians, children, contacts)


def ensure_families(count: int, schools: dict[str, School], parent_user=None, seed: int = SEED) -> int:
    """Create the missing families F-000001…F-{count} with guardians, children, contacts; returns how many."""
    generator = FamilyGenerator(schools, seed)
    allergens = {a.code: a for a in Allergen.objects.all()}
    existing = set(Family.objects.filter(code__in=[Family.code_for(i) for i in range(1, count + 1)])
                   .values_list("code", flat=True))
    created = 0
    for index in range(1, count + 1):
        demo = generator.generate(index)  # always generated, so the stream is the same on every run
        if demo.family.code in existing:
            continue
        demo.family.save()
        for guardian in demo.guardians:
            guardian.family = demo.family
            if parent_user is not None and guardian.email == PARENT_EMAIL:
                guardian.user = parent_user
            guardian.save()
        vaccinations = []
        for child, codes, shots in demo.children:
            child.family = demo.family
            child.save()
            if codes:
                child.allergens.set([allergens[c] for c in codes])
            vaccinations += [Vaccination(child=child, vaccine=v, date=d) for v, d in shots]
        Vaccination.objects.bulk_create(vaccinations)
        for contact in demo.contacts:
            contact.family = demo.family
            contact.save()
        created += 1
    return created


# Bulk generation: plain random draws from fixed lists, no Faker per row, written with bulk_create.

LAST_NAMES = list(FrenchNames.last_names)


def family_rows(count: int, seed: int = SEED, start: int = 1) -> Iterator[dict]:
    """Rows of the families import (same columns as the Family resource), codes F-{start}… in order."""
    rng = random.Random(seed)
    for index in range(start, start + count):
        last = rng.choice(LAST_NAMES)
        regime, number = _regime(rng)
        if rng.random() < 0.78:
            address, postcode, commune = f"{rng.randint(1, 140)} {rng.choice(TOWN_STREETS)}", TOWN_POSTCODE, TOWN
        else:
            commune, postcode = rng.choice(NEIGHBOURS)
            address = f"{rng.randint(1, 80)} {rng.choice(TOWN_STREETS)}"
        yield {
            "code": Family.code_for(index), "name": f"{last.upper()} {rng.choice(FATHERS)} et {rng.choice(MOTHERS)}",
            "address_line1": address, "address_line2": "", "postcode": postcode, "commune": commune,
            "allocataire_regime": regime, "allocataire_number": number,
            "paperless_invoices": rng.random() < 0.6, "notes": "", "is_active": True,
            "_children": _children_count(rng), "_last": last, "_sector": rng.choice(["ecoles", "ecoles", "primaire"]),
        }


def child_rows(families: list[dict], schools: dict[str, School], seed: int = SEED) -> Iterator[dict]:
    """Rows of the children import for `families` (from `family_rows`), naming family, school and level by key."""
    rng = random.Random(seed + 1)
    codes = {lvl.rank: lvl.code for lvl in ClassLevel.objects.all()}
    for fam in families:
        taken: set[str] = set()
        for year in _birth_years(rng, fam["_children"]):
            sex = rng.choice(["f", "m"])
            first = rng.choice([n for n in (GIRLS if sex == "f" else BOYS) if n not in taken])
            taken.add(first)
            rank = level_rank_for(year)
            yield {
                "family": fam["code"], "first_name": first, "last_name": fam["_last"], "sex": sex,
                "birth_date": _birth_date(rng, year), "school": _school_for(schools, fam["_sector"], rank).name,
                "class_level": codes[rank], "diet": rng.choices(["classique", "vegetarien", "sans_porc"],
                                                                weights=[85, 9, 6])[0],
                "allergens": "", "allergies_other": "", "has_pai": False, "pai_details": "", "doctor_name": "",
                "doctor_phone": "", "image_rights": rng.random() < 0.8, "may_leave_alone": False,
            }


FAMILY_FIELDS = ["code", "name", "address_line1", "address_line2", "postcode", "commune", "allocataire_regime",
                 "allocataire_number", "paperless_invoices", "notes", "is_active"]
CHILD_FIELDS = ["family", "first_name", "last_name", "sex", "birth_date", "school", "class_level", "diet",
                "allergens", "allergies_other", "has_pai", "pai_details", "doctor_name", "doctor_phone",
                "image_rights", "may_leave_alone"]


def bulk_build_families(count: int, schools: dict[str, School], *, seed: int = SEED, batch_size: int = 2000,
                        with_guardians: bool = True, progress: Callable[[int], None] | None = None) -> dict:
    """Create the missing families F-000001…F-{count} (+ a guardian or two, ~2 children each) with bulk_create.

    No history rows and no per-row validation: this is the floor used by benchmarks and large demo towns.
    Returns the numbers of rows created per model.
    """
    existing = set(Family.objects.filter(code__startswith="F-").values_list("code", flat=True))
    levels = {lvl.code: lvl for lvl in ClassLevel.objects.all()}
    school_by_name = {s.name: s for s in schools.values()}
    rng = random.Random(seed + 2)
    totals = {"families": 0, "guardians": 0, "children": 0}
    rows = family_rows(count, seed)
    done = 0
    while True:
        batch = [row for _, row in zip(range(batch_size), rows, strict=False)]
        if not batch:
            break
        done += len(batch)
        batch = [row for row in batch if row["code"] not in existing]
        if not batch:
            continue
        with transaction.atomic():
            families = Family.objects.bulk_create(
                [Family(**{k: v for k, v in row.items() if not k.startswith("_")}) for row in batch],
                batch_size=batch_size,
            )
            if any(f.pk is None for f in families):  # databases without RETURNING
                pks = dict(Family.objects.filter(code__in=[f.code for f in families]).values_list("code", "pk"))
                for f in families:
                    f.pk = pks[f.code]
            by_code = {f.code: f for f in families}
            children = []
            for row in child_rows(batch, schools, seed=seed + done):
                children.append(Child(**_child_kwargs(row, by_code, school_by_name, levels)))
            Child.objects.bulk_create(children, batch_size=batch_size)
            guardians = []
            if with_guardians:
                for row, family in zip(batch, families, strict=True):
                    n = int(family.code[2:])
                    mother = rng.choice(MOTHERS)
                    guardians.append(Guardian(
                        family=family, civility=Civility.MME, first_name=mother, last_name=row["_last"],
                        relationship=Guardian.Relationship.MOTHER, is_billing_contact=True,
                        email=f"{slugify(mother)}.{slugify(row['_last'])}.{n}@example.org",
                        phone_mobile=_phone(rng),
                    ))
                    if rng.random() < 0.6:
                        guardians.append(Guardian(
                            family=family, civility=Civility.M, first_name=rng.choice(FATHERS),
                            last_name=row["_last"], relationship=Guardian.Relationship.FATHER,
                            phone_mobile=_phone(rng),
                        ))
                Guardian.objects.bulk_create(guardians, batch_size=batch_size)
        totals["families"] += len(families)
        totals["children"] += len(children)
        totals["guardians"] += len(guardians)
        if progress is not None:
            progress(done)
    return totals


def _child_kwargs(row: dict, families: dict, schools: dict, levels: dict) -> dict:
    kwargs = {k: v for k, v in row.items() if k != "allergens"}
    kwargs["family"] = families[row["family"]]
    kwargs["school"] = schools[row["school"]]
    kwargs["class_level"] = levels[row["class_level"]]
    return kwargs
