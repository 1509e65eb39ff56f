"""Demo content of the public site: a complete portal a town could open tomorrow.

`seed_cms_demo(today=...)` is deterministic (everything is dated relative to `today`) and idempotent: a page,
document, image or menu week that already exists is left as it is. Holiday dates come from the catalogue or, without
one, from vacances-scolaires-france; every seeded page is published (no page is left with a draft).
`seed_demo(ctx)` is what the project's `manage.py seed_demo` calls: it also points the Wagtail Site at the served
address, so canonical links, og:url, RSS and the sitemap work.
"""

from __future__ import annotations

import datetime
import io
from urllib.parse import urlsplit

from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils.text import slugify
from wagtail.documents.models import Document
from wagtail.images.models import Image
from wagtail.models import Page, Site

from cms.models import (
    AccessibilityPage,
    ComplianceStatus,
    ContactPage,
    Course,
    DocumentLibraryPage,
    HomeAlert,
    HomePage,
    HomeQuickLink,
    LibraryDocument,
    MenuDish,
    MenuLabel,
    MenuPage,
    MenuWeek,
    NewsCategory,
    NewsIndexPage,
    NewsPage,
    ProgrammeIndexPage,
    ProgrammePage,
    ServiceIndexPage,
    ServicePage,
    SimulatorPage,
    SiteSettings,
    StandardPage,
    week_monday,
)
from cms.workflow import news_workflow_assign

TOWN = "Bessancourt"
D = datetime.timedelta


def _rt(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _child(parent: Page, model, slug: str, **fields) -> Page:
    """The child page with this slug, created and published if missing (never modified when it exists)."""
    existing = parent.get_children().filter(slug=slug).first()
    if existing:
        return existing.specific
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    _publish(page)
    return page


def _publish(page: Page) -> None:
    """Save a revision and publish it, so the page is live without a pending draft (« publiée », not « + brouillon »)."""
    page.save_revision(log_action=False).publish(log_action=False)


# Files ---------------------------------------------------------------------------------------------


def _pdf(title: str, paragraphs: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, title=title, author=f"Ville de {TOWN}", lang="fr")
    styles = getSampleStyleSheet()
    story = [
        Paragraph(f"Ville de {TOWN} — Service enfance", styles["Normal"]),
        Spacer(1, 12),
        Paragraph(title, styles["Title"]),
    ]
    for text in paragraphs:
        story += [Paragraph(text, styles["BodyText"]), Spacer(1, 6)]
    doc.build(story)
    return buffer.getvalue()


def _document(title: str, filename: str, paragraphs: list[str]) -> Document:
    document = Document.objects.filter(title=title).first()
    if document is None:
        document = Document(title=title)
        document.file.save(filename, ContentFile(_pdf(title, paragraphs)), save=False)
        document._set_document_file_metadata()  # size and hash, as the admin's upload form does
        document.save()
    return document


def _image(title: str, filename: str, colors: tuple[str, str], shape: str) -> Image:
    image = Image.objects.filter(title=title).first()
    if image is not None:
        return image
    from PIL import Image as PILImage
    from PIL import ImageDraw

    canvas = PILImage.new("RGB", (240, 240) if shape == "logo" else (1200, 675), colors[0])
    draw = ImageDraw.Draw(canvas)
    if shape == "logo":  # a tower and a sun: the town's coat of arms, simplified
        draw.ellipse((130, 30, 210, 110), fill=colors[1])
        draw.rectangle((50, 90, 130, 210), fill="#ffffff")
        draw.rectangle((75, 150, 105, 210), fill=colors[0])
    elif shape == "sun":
        draw.ellipse((820, 80, 1080, 340), fill=colors[1])
        draw.rectangle((0, 520, 1200, 675), fill="#2e7d32")
    elif shape == "plate":
        draw.ellipse((350, 120, 850, 620), fill="#ffffff")
        draw.ellipse((450, 220, 750, 520), fill=colors[1])
    else:
        for i in range(6):
            draw.rectangle((100 + i * 170, 300 - i * 30, 220 + i * 170, 600), fill=colors[1])
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG")
    return Image.objects.create(title=title, file=ImageFile(io.BytesIO(buffer.getvalue()), name=filename))


# Menus ---------------------------------------------------------------------------------------------

# (entrée, plat, alternative végétarienne, accompagnement, laitage, dessert) with labels and allergens by code.
MEALS = [
    (
        ("Carottes râpées au citron", ["bio"], []),
        ("Sauté de dinde à la crème", ["label-rouge"], ["lait"]),
        ("Omelette aux fines herbes", ["bio"], ["oeufs"]),
        ("Coquillettes", [], ["gluten"]),
        ("Emmental", ["aop-aoc"], ["lait"]),
        ("Compote pomme-poire maison", ["fait-maison", "local"], []),
    ),
    (
        ("Velouté de potiron", ["local", "fait-maison"], ["lait", "celeri"]),
        ("Filet de colin sauce citron", ["peche-durable"], ["poissons", "lait"]),
        ("Galette de lentilles et boulgour", [], ["gluten"]),
        ("Riz pilaf", ["bio"], []),
        ("Yaourt nature sucré", ["local"], ["lait"]),
        ("Clémentines", [], []),
    ),
    (
        ("Salade de betteraves", ["bio"], ["moutarde"]),
        ("Chili sin carne", ["bio"], []),
        ("Chili sin carne", ["bio"], []),
        ("Riz créole", [], []),
        ("Fromage blanc", ["bio"], ["lait"]),
        ("Gâteau au yaourt maison", ["fait-maison"], ["gluten", "oeufs", "lait"]),
    ),
    (
        ("Céleri rémoulade", [], ["celeri", "oeufs", "moutarde"]),
        ("Rôti de porc au jus", ["local"], []),
        ("Croq' veggie au fromage", [], ["gluten", "lait", "soja"]),
        ("Haricots verts persillés", ["bio"], []),
        ("Camembert", ["aop-aoc"], ["lait"]),
        ("Pomme de la vallée de Chevreuse", ["local", "hve"], []),
    ),
    (
        ("Potage de légumes", ["fait-maison"], ["celeri"]),
        ("Poisson pané et citron", ["peche-durable"], ["poissons", "gluten"]),
        ("Boulettes de pois chiches", [], ["sesame"]),
        ("Purée de pommes de terre", ["fait-maison"], ["lait"]),
        ("Petit suisse aux fruits", [], ["lait"]),
        ("Banane", [], []),
    ),
    (
        ("Taboulé à la menthe", [], ["gluten"]),
        ("Bœuf bourguignon", ["label-rouge"], ["sulfites"]),
        ("Curry de légumes au lait de coco", ["bio"], []),
        ("Carottes vichy", ["bio"], []),
        ("Saint-Paulin", [], ["lait"]),
        ("Crème dessert vanille", [], ["lait"]),
    ),
    (
        ("Macédoine mayonnaise", [], ["oeufs", "moutarde"]),
        ("Cuisse de poulet rôtie", ["label-rouge", "local"], []),
        ("Gratin de pâtes aux légumes", [], ["gluten", "lait"]),
        ("Petits pois", [], []),
        ("Tomme blanche", [], ["lait"]),
        ("Poire", ["local"], []),
    ),
]
COURSES = [Course.ENTREE, Course.PLAT, Course.PLAT, Course.ACCOMPAGNEMENT, Course.LAITAGE, Course.DESSERT]


def _seed_menus(today: datetime.date) -> None:
    from families.models import Allergen

    labels = {label.code: label for label in MenuLabel.objects.all()}
    allergens = {allergen.code: allergen for allergen in Allergen.objects.all()}
    this_monday = week_monday(today)
    for offset in range(-3, 5):  # 8 weeks: three before, this one, four after
        monday = this_monday + D(weeks=offset)
        week, _created = MenuWeek.objects.get_or_create(
            restaurant=None,
            week_start=monday,
            defaults={"note": "Viandes d'origine française. Pain bio de la boulangerie du village."},
        )
        if week.dishes.exists():
            continue
        for day_index in range(5):
            day = monday + D(days=day_index)
            meal = MEALS[(monday.toordinal() // 7 + day_index) % len(MEALS)]
            for position, (course, (name, label_codes, allergen_codes)) in enumerate(
                zip(COURSES, meal, strict=True)
            ):
                dish = MenuDish(
                    week=week,
                    day=day,
                    course=course,
                    name=name,
                    sort_order=day_index * 10 + position,
                    is_vegetarian_alternative=(position == 2),
                )
                dish.save()
                dish.labels.set([labels[c] for c in label_codes if c in labels])
                dish.allergens.set([allergens[c] for c in allergen_codes if c in allergens])
                dish.save()


# Pages ---------------------------------------------------------------------------------------------

SERVICES = [
    (
        "restauration-scolaire",
        "Restauration scolaire",
        "restauration",
        "Le midi, les enfants des écoles maternelles et élémentaires déjeunent au restaurant scolaire : "
        "un repas équilibré, cuisiné sur place, avec une alternative végétarienne chaque jour.",
        [
            _rt(
                "Les repas sont préparés chaque matin par l'équipe de la cuisine centrale. Les menus sont élaborés avec "
                "une diététicienne et respectent la loi EGalim : au moins 50 % de produits durables et de qualité, dont "
                "20 % de produits bio, et un menu végétarien par semaine.",
                "Chaque jour, un repas végétarien peut être choisi à la place du plat du jour, à l'inscription.",
            ),
            [
                ("Lundi, mardi, jeudi, vendredi", "11h30 – 13h30 (deux services)"),
                ("Mercredi", "Repas pris à l'accueil de loisirs"),
            ],
        ],
        "Tous les enfants scolarisés dans les écoles publiques de la commune.",
        "Inscription annuelle depuis votre espace famille. Les réservations se modifient jusqu'à 3 jours ouvrés "
        "avant le repas, 10h. Un repas non réservé est facturé avec une majoration. En cas d'allergie, un PAI est "
        "établi avec le médecin scolaire.",
    ),
    (
        "accueil-periscolaire",
        "Accueil périscolaire",
        "periscolaire",
        "Avant et après la classe, les animateurs accueillent les enfants dans chaque groupe scolaire : "
        "jeux, ateliers, aide aux devoirs, goûter.",
        [
            _rt(
                "L'accueil du matin se fait dans le calme : jeux de société, lecture, coloriage. Le soir, après le goûter, "
                "les enfants choisissent entre plusieurs ateliers ; les élèves d'élémentaire peuvent faire leurs devoirs "
                "dans une salle dédiée."
            ),
            [("Matin", "7h30 – 8h30"), ("Soir", "16h30 – 18h30"), ("Mercredi", "voir la page Mercredis")],
        ],
        "Les enfants scolarisés de la petite section au CM2.",
        "Réservation à la séance depuis votre espace famille, jusqu'à 3 jours ouvrés avant, 10h. "
        "Les départs se font jusqu'à 18h30 précises : au-delà, une pénalité de retard s'applique.",
    ),
    (
        "mercredis",
        "Mercredis",
        "mercredi",
        "Le mercredi, l'accueil de loisirs propose des journées ou demi-journées avec repas, sorties et activités "
        "autour d'un thème par période.",
        [
            _rt(
                "Les enfants sont accueillis au centre de loisirs des Sablons. Chaque période entre deux vacances suit un "
                "thème (nature, sciences, arts du cirque…) et se termine par une sortie ou un spectacle."
            ),
            [
                ("Journée", "7h30 – 18h30"),
                ("Matin avec repas", "7h30 – 13h30"),
                ("Après-midi", "13h30 – 18h30"),
            ],
        ],
        "Les enfants de 3 à 11 ans.",
        "Inscription par période depuis votre espace famille. Modifications jusqu'à 8 jours avant, 10h.",
    ),
    (
        "accueil-de-loisirs-vacances",
        "Accueil de loisirs vacances",
        "vacances",
        "Pendant les vacances scolaires, l'accueil de loisirs ouvre à la journée avec un programme d'activités et de "
        "sorties par tranche d'âge.",
        [
            _rt(
                "Le programme de chaque période est publié environ un mois avant les vacances, avec les dates "
                "d'inscription. Les places sont limitées : au-delà, les demandes passent en liste d'attente et sont "
                "acceptées dans l'ordre d'arrivée."
            ),
            [("Accueil", "7h30 – 9h30"), ("Départs", "16h30 – 18h30")],
        ],
        "Les enfants de 3 à 11 ans, habitant ou scolarisés dans la commune.",
        "Inscription pendant la période d'ouverture annoncée sur le programme, depuis votre espace famille.",
    ),
    (
        "ecoles-de-sport",
        "Écoles municipales des sports",
        "autre",
        "Les éducateurs sportifs de la ville font découvrir plusieurs sports dans l'année, le mercredi et pendant "
        "les stages des vacances.",
        [
            _rt(
                "Trois cycles par an : sports collectifs, sports de raquette et activités d'expression (danse, cirque). "
                "Les séances ont lieu au gymnase Jean Moulin."
            ),
            [("Mercredi 6-8 ans", "9h30 – 11h"), ("Mercredi 9-11 ans", "14h – 15h30")],
        ],
        "Les enfants de 6 à 11 ans, avec un certificat médical ou l'attestation du questionnaire de santé.",
        "Inscription à l'année, en septembre, depuis votre espace famille.",
    ),
]

# The first two news items are dated by the Christmas holidays (see `_christmas_news`).
NEWS = [
    # days before today, category, title, summary, pinned
    (
        8,
        "vie-des-ecoles",
        "Semaine du goût : les enfants ont cuisiné",
        "Ateliers pâtisserie, dégustations à l'aveugle et visite d'un maraîcher : retour sur une semaine gourmande.",
        False,
    ),
    (
        12,
        "inscriptions",
        "Dossier famille : pensez à mettre à jour vos justificatifs",
        "Attestation CAF, justificatif de domicile, vaccins : déposez vos pièces dans votre espace famille.",
        True,
    ),
    (
        17,
        "restauration",
        "Plus de produits locaux dans les assiettes",
        "Pommes, yaourts et légumes de saison viennent désormais de producteurs situés à moins de 50 km.",
        False,
    ),
    (
        22,
        "vacances",
        "Retour en images sur les vacances d'automne",
        "Sortie à la ferme pédagogique, grand jeu au parc et spectacle de fin de séjour.",
        False,
    ),
    (
        28,
        "vie-des-ecoles",
        "Nouveaux horaires de l'accueil du soir",
        "Depuis la rentrée, l'accueil du soir ferme à 18h30 dans tous les groupes scolaires.",
        False,
    ),
    (
        35,
        "inscriptions",
        "Quotient familial : faites calculer votre tarif",
        "Transmettez votre attestation CAF pour bénéficier du tarif correspondant à vos revenus.",
        False,
    ),
    (
        43,
        "vacances",
        "Séjour neige en février : pré-inscriptions ouvertes",
        "Vingt-quatre places pour les 8-11 ans, du 15 au 20 février, à Autrans.",
        False,
    ),
    (
        51,
        "restauration",
        "Un menu végétarien chaque jour au choix",
        "Les familles peuvent désormais choisir le repas végétarien à l'inscription, pour toute l'année.",
        False,
    ),
    (
        60,
        "vie-des-ecoles",
        "Élections des délégués au conseil municipal des enfants",
        "Les élèves de CM1 et CM2 ont élu leurs représentants : découvrez leurs projets.",
        False,
    ),
    (
        75,
        "inscriptions",
        "Paiement en ligne : payez vos factures par carte bancaire",
        "Vos factures se règlent maintenant en ligne, en toute sécurité, depuis votre espace famille.",
        False,
    ),
]
CATEGORIES = [
    ("inscriptions", "Inscriptions"),
    ("restauration", "Restauration scolaire"),
    ("vacances", "Vacances"),
    ("vie-des-ecoles", "Vie des écoles"),
]


def _school_holidays(today: datetime.date, name: str) -> tuple[datetime.date, datetime.date]:
    """First and last day of the current or next `name` holidays of the town's zone (vacances-scolaires-france)."""
    from vacances_scolaires_france import SchoolHolidayDates, UnsupportedYearException

    zone = getattr(django_settings, "PORTAIL_SCHOOL_ZONE", "C")
    calendar = SchoolHolidayDates()
    days: list[datetime.date] = []
    for year in (today.year, today.year + 1, today.year + 2):
        try:
            days += calendar.holidays_for_year_zone_and_name(year, zone, name)
        except UnsupportedYearException:
            continue
    days = sorted(day for day in days if day >= today)
    if not days:  # beyond the library's data: no made-up dates, the programme simply follows today
        return today + D(days=28), today + D(days=42)
    end = days[0]
    for day in days[1:]:
        if day - end > D(days=1):
            break
        end = day
    return days[0], end


def _vacation_activities(today: datetime.date):
    """Two holiday activities of the catalogue: Christmas first (created from the school calendar when missing)."""
    from families.models import Activity, ActivityKind

    found = []
    for holidays, label in (
        ("Vacances de Noël", "vacances de Noël"),
        ("Vacances d'hiver", "vacances d'hiver"),
    ):
        start, end = _school_holidays(today, holidays)
        activity = (
            Activity.objects.filter(kind=ActivityKind.VACANCES, period_start__lte=end, period_end__gte=start)
            .order_by("period_start")
            .first()
        )
        if activity is None:
            # The catalogue's own rule (families.management.demo_town): registration from 6 to 2 weeks before.
            activity, _created = Activity.objects.get_or_create(
                name=f"Accueil de loisirs — {label} {start.year}",
                kind=ActivityKind.VACANCES,
                defaults={
                    "period_start": start,
                    "period_end": end,
                    "registration_opens": start - D(weeks=6),
                    "registration_closes": start - D(weeks=2),
                    "min_age": 3,
                    "max_age": 11,
                    "wednesday": True,
                },
            )
        found.append(activity)
    return found


def _opening_days(activity) -> tuple[datetime.date, datetime.date]:
    """First and last day the holiday centre opens: working days (Mon–Fri, not a jour férié) of its period."""
    from families.services.calendar import is_working_day

    days = [
        activity.period_start + D(days=i)
        for i in range((activity.period_end - activity.period_start).days + 1)
    ]
    open_days = [day for day in days if is_working_day(day)] or days
    return open_days[0], open_days[-1]


def _day(day: datetime.date, *, weekday: bool = False) -> str:
    """« 5 décembre », « 1er janvier », « lundi 21 décembre »."""
    text = f"{'1er' if day.day == 1 else day.day} {_MONTHS[day.month - 1]}"
    return f"{_WEEKDAYS[day.weekday()]} {text}" if weekday else text


def _span(first: datetime.date, last: datetime.date) -> str:
    """« du lundi 21 au jeudi 31 décembre », « du lundi 21 décembre au vendredi 1er janvier »."""
    start = _day(first, weekday=True)
    if first.month == last.month:
        start = start.rsplit(" ", 1)[0]
    return f"du {start} au {_day(last, weekday=True)}"


def seed_demo(ctx) -> None:
    """The public site of the demo town, served at `ctx.base_url` (called by the project's `manage.py seed_demo`)."""
    ctx.stdout.write("  Contenus du site public (CMS)…")
    site_serve_at(base_url=ctx.base_url)
    seed_cms_demo(today=ctx.today)


@transaction.atomic
def site_serve_at(*, base_url: str) -> Site | None:
    """Point the default Wagtail Site at the address the demo is served on (canonical URLs, RSS, sitemap)."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return None
    parts = urlsplit(base_url)
    site.hostname = parts.hostname
    site.port = parts.port or (443 if parts.scheme == "https" else 80)
    site.site_name = site.site_name or f"Portail Famille — Ville de {TOWN}"
    site.save()
    return site


@transaction.atomic
def seed_cms_demo(*, today: datetime.date) -> None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    home = HomePage.objects.first()
    if site is None or home is None:
        return
    settings = SiteSettings.for_site(site)
    if not settings.address:
        settings.logo = _image(f"Logo de la ville de {TOWN}", "logo.png", ("#1d4f91", "#f3b700"), "logo")
        settings.town_name = f"Ville de {TOWN}"
        settings.portal_name = "Portail Famille"
        settings.service_name = "Service enfance"
        settings.address = "Hôtel de ville — Service enfance\n1 place de la Mairie\n95550 Bessancourt"
        settings.phone = "01 30 40 50 60"
        settings.phone_secondary = "01 30 40 50 61"
        settings.email = "enfance@ville-bessancourt.fr"
        settings.opening_hours = (
            "Lundi, mardi, jeudi : 8h30 – 12h et 13h30 – 17h30\nMercredi : 8h30 – 12h\n"
            "Vendredi : 8h30 – 12h et 13h30 – 17h\nSamedi (hors vacances) : 9h – 12h"
        )
        settings.save()

    for slug, name in CATEGORIES:
        NewsCategory.objects.get_or_create(slug=slug, defaults={"name": name})
    categories = {c.slug: c for c in NewsCategory.objects.all()}

    # Files
    reglement = _document(
        "Règlement intérieur des accueils périscolaires et de la restauration",
        "reglement-interieur.pdf",
        [
            "Article 1 — Les accueils sont ouverts aux enfants scolarisés dans la commune.",
            "Article 2 — Les réservations se modifient jusqu'à 3 jours ouvrés avant, 10h.",
            "Article 3 — Toute absence non justifiée par un certificat médical est facturée.",
        ],
    )
    tarifs = _document(
        "Tarifs 2026-2027",
        "tarifs-2026-2027.pdf",
        [
            "Les tarifs sont calculés selon le quotient familial (méthode CAF).",
            "Repas : de 1,00 € à 4,80 €. Accueil du matin : de 0,80 € à 2,60 €.",
        ],
    )
    dossier = _document(
        "Dossier d'inscription 2026-2027",
        "dossier-inscription-2026-2027.pdf",
        [
            "Fiche famille, fiche sanitaire de liaison, autorisations.",
            "À déposer dans votre espace famille ou à l'accueil du service enfance.",
        ],
    )
    menus_pdf = _document(
        "Menus de la restauration scolaire — période en cours",
        "menus-periode.pdf",
        ["Menus élaborés avec une diététicienne. Alternative végétarienne chaque jour."],
    )
    pai = _document(
        "Protocole d'accueil individualisé (PAI) — mode d'emploi",
        "pai-mode-emploi.pdf",
        ["En cas d'allergie alimentaire, un PAI est établi avec le médecin scolaire."],
    )
    img_holidays = _image("Enfants en sortie nature", "vacances.png", ("#8ecae6", "#ffb703"), "sun")
    img_canteen = _image("Assiette de légumes de saison", "cantine.png", ("#f1faee", "#e76f51"), "plate")
    img_school = _image("Cour d'école", "ecole.png", ("#e9edc9", "#457b9d"), "blocks")

    # Pages
    services = _child(
        home,
        ServiceIndexPage,
        "activites",
        title="Activités",
        show_in_menus=True,
        intro=_rt(
            "Restauration, accueils avant et après la classe, mercredis, vacances, sport : "
            "comment fonctionnent les services et comment y inscrire vos enfants."
        ),
        search_description="Les services de l'enfance de la ville : fonctionnement, horaires, "
        "inscriptions et contacts.",
    )
    news_index = _child(
        home,
        NewsIndexPage,
        "actualites",
        title="Actualités",
        show_in_menus=True,
        intro=_rt("Les informations du service enfance : inscriptions, restauration, vacances."),
    )
    news_workflow_assign(news_index=news_index)
    menu_page = _child(
        home,
        MenuPage,
        "menus",
        title="Menus de la cantine",
        show_in_menus=True,
        intro=_rt(
            "Les menus sont élaborés avec une diététicienne. Chaque jour, une alternative "
            "végétarienne est proposée."
        ),
        vegetarian_note=_rt("Le repas végétarien se choisit à l'inscription, depuis votre espace."),
        search_description="Les menus de la semaine des restaurants scolaires, avec labels et allergènes.",
    )
    library = _child(
        home,
        DocumentLibraryPage,
        "documents",
        title="Documents",
        show_in_menus=True,
        intro=_rt("Règlements, tarifs, dossiers d'inscription et menus à télécharger."),
    )
    if not library.library_documents.exists():
        for order, (category, document, description) in enumerate(
            [
                ("reglement", reglement, "Fonctionnement, réservations, absences et facturation."),
                ("tarifs", tarifs, "Tarifs selon le quotient familial."),
                ("inscription", dossier, "À compléter pour toute première inscription."),
                ("inscription", pai, "Pour les enfants allergiques ou malades chroniques."),
                ("menus", menus_pdf, "Version imprimable des menus de la période."),
            ]
        ):
            LibraryDocument.objects.create(
                page=library, category=category, document=document, description=description, sort_order=order
            )
        # The editor opens the latest revision: publish one that holds the documents.
        _publish(library)
    programmes = _child(
        home,
        ProgrammeIndexPage,
        "programmes",
        title="Programmes",
        show_in_menus=True,
        intro=_rt("Les programmes des mercredis et des vacances : thèmes, activités et sorties."),
    )
    contact = _child(
        home,
        ContactPage,
        "contact",
        title="Contact",
        show_in_menus=True,
        intro=_rt(
            "Le service enfance vous accueille à l'hôtel de ville ; vous pouvez aussi nous "
            "écrire depuis votre espace famille."
        ),
    )
    # « Simulateurs » (QF, tarifs, école de secteur) for the public, linked from the home's quick links.
    simulators = _child(
        home,
        SimulatorPage,
        "simulateurs",
        title="Simulateurs",
        intro=_rt(
            "Estimez votre quotient familial et le tarif des activités, ou trouvez l'école de secteur de "
            "votre adresse."
        ),
    )
    _child(
        home,
        AccessibilityPage,
        "accessibilite",
        title="Déclaration d'accessibilité",
        compliance_status=ComplianceStatus.PARTIAL,
        compliance_rate=82,
        audit_date=today - D(days=90),
        audit_by="Audit interne de la ville",
        non_compliant=_rt(
            "Certains documents PDF anciens ne sont pas balisés. Une version accessible peut être "
            "envoyée sur demande."
        ),
        alternative_means=_rt(
            "Toutes les démarches peuvent être faites à l'accueil du service enfance ou par téléphone."
        ),
    )
    _child(
        home,
        StandardPage,
        "mentions-legales",
        title="Mentions légales",
        intro="Éditeur, hébergeur et conditions d'utilisation du Portail Famille.",
        body=[
            (
                "text",
                _rt(
                    f"<b>Éditeur :</b> Ville de {TOWN}, 1 place de la Mairie, 95550 {TOWN}.",
                    "<b>Directeur de la publication :</b> le maire.",
                    "<b>Hébergement :</b> serveurs de la ville, en France.",
                    "Les contenus de ce site sont publiés sous licence ouverte, sauf mention contraire.",
                ),
            )
        ],
    )
    _child(
        home,
        StandardPage,
        "donnees-personnelles",
        title="Données personnelles",
        intro="Comment la ville traite les données des familles (RGPD).",
        body=[
            (
                "text",
                _rt(
                    "Les données du dossier famille sont traitées par le service enfance pour l'inscription aux "
                    "activités, la facturation et la sécurité des enfants (mission de service public).",
                    "Les données de santé (allergies, PAI, vaccinations) ne sont accessibles qu'aux agents qui en ont "
                    "besoin. Les données sont conservées pendant la scolarité de l'enfant et jusqu'à 5 ans après la "
                    "dernière facture.",
                    "Vous pouvez accéder à vos données, les rectifier ou demander leur effacement auprès du délégué à la "
                    "protection des données : dpo@ville-bessancourt.fr. Vous pouvez saisir la CNIL.",
                ),
            )
        ],
    )

    # Services
    tarifs_url = tarifs.url
    for slug, title, kind, summary, (body_text, hours), who, how in SERVICES:
        _child(
            services,
            ServicePage,
            slug,
            title=title,
            activity_kind=kind if kind != "autre" else "",
            summary=summary,
            who_may_enrol=_rt(who),
            how_to_enrol=_rt(how),
            tariffs_url=tarifs_url,
            contact_name="Service enfance",
            contact_phone="01 30 40 50 60",
            contact_email="enfance@ville-bessancourt.fr",
            body=[
                ("text", body_text),
                (
                    "hours",
                    {"heading": "Horaires", "rows": [{"label": label, "hours": h} for label, h in hours]},
                ),
                ("documents", {"heading": "Documents utiles", "documents": [reglement, dossier]}),
                (
                    "faq",
                    {
                        "heading": "Questions fréquentes",
                        "questions": [
                            {
                                "question": "Comment signaler une absence ?",
                                "answer": _rt(
                                    "Depuis votre espace famille, rubrique « Gérer mes réservations », avant le "
                                    "délai. En cas de maladie, déposez le certificat médical."
                                ),
                            },
                            {
                                "question": "Mon enfant a une allergie, que faire ?",
                                "answer": _rt(
                                    "Un PAI doit être établi avec le médecin scolaire avant l'accueil."
                                ),
                            },
                        ],
                    },
                ),
                (
                    "call_to_action",
                    {
                        "title": "Inscrire mon enfant",
                        "text": "Les inscriptions se font en ligne.",
                        "button_label": "Accéder à mon espace",
                        "page": None,
                        "url": "/portail/connexion/",
                    },
                ),
            ],
        )

    # News
    vacations = _vacation_activities(today)
    christmas = vacations[0]
    for index, (days_ago, category, title, summary, pinned) in enumerate(_christmas_news(christmas) + NEWS):
        slug = f"actualite-{index + 1:02d}"
        image = [img_holidays, img_canteen, img_school][index % 3] if index < 6 else None
        _child(
            news_index,
            NewsPage,
            slug,
            title=title,
            date=today - D(days=days_ago),
            category=categories[category],
            summary=summary,
            is_pinned=pinned,
            pinned_until=(today + D(days=12)) if pinned else None,
            image=image,
            image_alt=image.title if image else "",
            body=[
                (
                    "text",
                    _rt(
                        summary,
                        "Pour toute question, le service enfance est à votre écoute au "
                        "01 30 40 50 60 ou depuis votre espace famille.",
                    ),
                )
            ],
        )

    # Programmes
    for index, activity in enumerate(vacations):
        slug = slugify(f"programme {activity.name}")[:80]
        start, end = _opening_days(activity)
        title = activity.name.replace("Accueil de loisirs — ", "Programme des ").replace(
            "Accueil de loisirs", "Programme"
        )
        _child(
            programmes,
            ProgrammePage,
            slug,
            title=title,
            activity=activity,
            start_date=start,
            end_date=end,
            age_groups="3 à 11 ans",
            place="Centre de loisirs des Sablons",
            summary=[
                "Le grand voyage des contes d'hiver : ateliers, cuisine et grand spectacle.",
                "Les explorateurs de la nature : cabanes, traces d'animaux et sortie en forêt.",
            ][index % 2],
            image=img_holidays,
            image_alt="Enfants en sortie nature",
            body=[
                (
                    "age_group",
                    {
                        "name": "3-5 ans",
                        "theme": "Les petits explorateurs",
                        "activities": [
                            "Peinture propre et gommettes",
                            "Parcours de motricité",
                            "Heure du conte",
                        ],
                    },
                ),
                (
                    "age_group",
                    {
                        "name": "6-8 ans",
                        "theme": "Les inventeurs",
                        "activities": ["Fabrication de jeux en bois", "Atelier cuisine", "Grand jeu"],
                    },
                ),
                (
                    "age_group",
                    {
                        "name": "9-11 ans",
                        "theme": "Les reporters",
                        "activities": ["Tournage d'un court-métrage", "Tournoi sportif", "Quiz géant"],
                    },
                ),
                (
                    "outing",
                    {
                        "date": start + D(days=2),
                        "title": "Ferme pédagogique de Gally",
                        "description": "Départ 9h15, retour 17h. Prévoir des bottes.",
                        "age_group": "3-8 ans",
                    },
                ),
                (
                    "outing",
                    {
                        "date": start + D(days=3),
                        "title": "Cinéma Utopia",
                        "description": "Séance à 14h.",
                        "age_group": "9-11 ans",
                    },
                ),
            ],
        )

    # Home
    if not home.alerts.exists() and not home.quick_links.exists():
        home.title = "Accueil"
        home.seo_title = f"Portail Famille — Ville de {TOWN}"
        home.search_description = (
            f"Le Portail Famille de {TOWN} : menus de la cantine, actualités, inscriptions, "
            "réservations et paiement en ligne."
        )
        home.intro = _rt(
            f"Bienvenue sur le Portail Famille de {TOWN}. Consultez les menus, les activités et les "
            "actualités ; inscrivez vos enfants, réservez et payez en ligne depuis votre espace."
        )
        closes = christmas.registration_closes
        HomeAlert.objects.create(
            page=home,
            sort_order=0,
            text=f"Vacances de Noël : inscriptions jusqu'au {_day(closes)}",
            until=closes,
            link_page=programmes,
        )
        for order, (label, description, icon, page, url) in enumerate(
            [
                ("Menus de la semaine", "Ce que mangent les enfants cette semaine", "menu", menu_page, ""),
                ("Documents", "Règlement, tarifs, dossier d'inscription", "document", library, ""),
                (
                    "Simulateur de tarifs",
                    "Estimez votre tarif selon votre quotient",
                    "euro",
                    simulators,
                    "",
                ),
                ("Nous contacter", "Adresse, horaires et téléphone", "contact", contact, ""),
            ]
        ):
            HomeQuickLink.objects.create(
                page=home,
                sort_order=order,
                label=label,
                description=description,
                icon=icon,
                link_page=page,
                link_url=url,
            )
        home.save()
        _publish(home)

    _seed_menus(today)


def _christmas_news(christmas) -> list[tuple]:
    """The two Christmas news items, with the dates of the catalogue's Christmas holiday centre."""
    first, last = _opening_days(christmas)
    closes = christmas.registration_closes
    # The festive meal is the last Thursday of school before the holidays.
    meal = christmas.period_start - D(days=1)
    while meal.weekday() != 3:
        meal -= D(days=1)
    return [
        (
            1,
            "inscriptions",
            f"Vacances de Noël : inscriptions jusqu'au {_day(closes)}",
            f"L'accueil de loisirs ouvre {_span(first, last)}. Inscrivez vos enfants depuis votre espace famille "
            f"avant le {_day(closes, weekday=True)}.",
            False,
        ),
        (
            4,
            "restauration",
            "Repas de Noël au restaurant scolaire",
            f"Le {_day(meal, weekday=True)}, les enfants dégusteront un menu de fête préparé par l'équipe de la cuisine "
            "centrale.",
            False,
        ),
    ]


_WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
