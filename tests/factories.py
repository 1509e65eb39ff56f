"""factory_boy factories for the whole suite: realistic French data, deterministic per test."""

from datetime import date, time

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from families.models import (
    Activity,
    ActivityKind,
    Booking,
    Child,
    ClassLevel,
    Closure,
    Contact,
    Enrolment,
    Family,
    Guardian,
    School,
    Unit,
)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"parent{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.PostGenerationMethodCall("set_password", "motdepasse-solide-2026")
    is_active = True

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffUserFactory(UserFactory):
    email = factory.Sequence(lambda n: f"agent{n}@mairie.exemple.fr")
    is_staff = True


class SchoolFactory(DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"École Jules Ferry {n}")
    kind = School.Kind.PRIMAIRE
    address = "1 rue de l'École"
    postcode = "95550"
    commune = "Bessancourt"


class FamilyFactory(DjangoModelFactory):
    class Meta:
        model = Family

    name = factory.Sequence(
        lambda n: ["DUPONT", "MARTIN", "BERNARD", "PETIT", "DUBOIS", "MOREAU"][n % 6] + f" Famille {n}"
    )
    address_line1 = factory.Faker("street_address", locale="fr_FR")
    postcode = "95550"
    commune = "Bessancourt"
    allocataire_number = factory.Sequence(lambda n: f"{1000000 + n}")


class GuardianFactory(DjangoModelFactory):
    class Meta:
        model = Guardian

    family = factory.SubFactory(FamilyFactory)
    civility = "mme"
    first_name = factory.Faker("first_name_female", locale="fr_FR")
    last_name = factory.LazyAttribute(lambda o: o.family.name.title())
    email = factory.Sequence(lambda n: f"responsable{n}@exemple.fr")
    phone_mobile = "06 12 34 56 78"
    is_billing_contact = True


class ChildFactory(DjangoModelFactory):
    class Meta:
        model = Child

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.LazyAttribute(lambda o: o.family.name.title())
    birth_date = date(2018, 5, 14)
    school = factory.SubFactory(SchoolFactory)
    class_level = factory.LazyFunction(lambda: ClassLevel.objects.get(code="CE1"))


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    family = factory.SubFactory(FamilyFactory)
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    relationship = "Grand-mère"
    phone = "06 98 76 54 32"


class ActivityFactory(DjangoModelFactory):
    class Meta:
        model = Activity

    name = "Restauration scolaire 2026-2027"
    kind = ActivityKind.RESTAURATION
    period_start = date(2026, 9, 1)
    period_end = date(2027, 7, 3)
    add_deadline_days = 3
    add_deadline_time = time(10, 0)
    cancel_deadline_days = 3
    cancel_deadline_time = time(10, 0)


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    activity = factory.SubFactory(ActivityFactory)
    label = "Repas classique"
    code = factory.Sequence(lambda n: f"repas-{n}")
    exclusive_group = "repas"


class AcceptedEnrolmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrolment

    child = factory.SubFactory(ChildFactory)
    activity = factory.SubFactory(ActivityFactory)
    status = Enrolment.Status.ACCEPTED
    start_date = factory.LazyAttribute(lambda o: o.activity.period_start)


class ClosureFactory(DjangoModelFactory):
    class Meta:
        model = Closure

    start_date = date(2026, 11, 20)
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    reason = "Grève"


class BookingFactory(DjangoModelFactory):
    class Meta:
        model = Booking

    child = factory.SubFactory(ChildFactory)
    unit = factory.SubFactory(UnitFactory)
    date = date(2026, 11, 23)
    state = Booking.State.RESERVED
