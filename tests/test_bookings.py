"""Reservations as parents and agents make them: deadlines, closures, meal types, capacity and the waiting list."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from families.models import ActivityKind, Booking, Closure
from families.selectors_planning import PlanningState, child_planning, waiting_positions
from families.services.bookings import Change, bookings_apply, bookings_from_enrolment
from families.services.deadlines import BookingAction
from tests.factories import AcceptedEnrolmentFactory, ActivityFactory, UnitFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
MONDAY = date(2026, 11, 23)  # 3 jours ouvrés avant 10h → mercredi 18 novembre 10h00
BEFORE_DEADLINE = datetime(2026, 11, 16, 9, tzinfo=PARIS)
ADD, CANCEL = BookingAction.ADD, BookingAction.CANCEL


@pytest.fixture
def town(small_town):
    """Léa, Hugo and Chloé enrolled at the canteen (repas classique or végétarien), fiches sanitaires confirmed."""
    canteen = small_town["canteen"]
    units = {u.code: u for u in canteen.units.all()}
    for name in ("lea", "hugo", "chloe"):
        child = small_town[name]
        child.health_form_confirmed_on = date(2026, 8, 28)
        child.save()
        AcceptedEnrolmentFactory(child=child, activity=canteen)
    return {**small_town, "classique": units["repas-classique"], "vege": units["repas-vege"]}


def parent_of(town, child):
    key = "martin_parent" if child.family == town["martin"] else "bernard_parent"
    return town[key].user


def apply(town, *changes, child=None, as_staff=False, by=None, now=BEFORE_DEADLINE, **kwargs):
    child = child or town["lea"]
    by = by or parent_of(town, child)
    return bookings_apply(
        child_changes=[
            Change(child=child, unit=unit, day=day, action=action) for unit, day, action in changes
        ],
        by=by,
        as_staff=as_staff,
        now=now,
        **kwargs,
    )


def active(child, unit, day):
    return Booking.objects.filter(child=child, unit=unit, date=day, state__in=Booking.ACTIVE).first()


# --- reserving and cancelling ---------------------------------------------------------------------------------


def test_parent_reserves_a_week_of_meals(town):
    days = [date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 27)]
    result = apply(town, *[(town["classique"], d, ADD) for d in days])
    assert result.ok
    assert sorted(b.date for b in result.reserved) == days
    booking = active(town["lea"], town["classique"], MONDAY)
    assert booking.state == Booking.State.RESERVED
    assert booking.created_by == town["martin_parent"].user
    assert booking.history.get().history_user == town["martin_parent"].user


def test_reserving_twice_the_same_day_changes_nothing(town):
    apply(town, (town["classique"], MONDAY, ADD))
    result = apply(town, (town["classique"], MONDAY, ADD))
    assert result.ok and result.reserved == []
    assert Booking.objects.count() == 1


def test_parent_cannot_reserve_after_deadline(town):
    result = apply(
        town, (town["classique"], date(2027, 1, 4), ADD), now=datetime(2026, 12, 29, 10, tzinfo=PARIS)
    )
    assert [r.message for r in result.refused] == [
        "Le délai pour réserver le lundi 4 janvier 2027 est dépassé (jusqu'au mardi 29 décembre 2026 à 10h00)."
    ]
    assert result.refused[0].code == "deadline"
    assert not Booking.objects.exists()


def test_parent_can_reserve_until_one_second_before_deadline(town):
    result = apply(
        town, (town["classique"], date(2027, 1, 4), ADD), now=datetime(2026, 12, 29, 9, 59, 59, tzinfo=PARIS)
    )
    assert result.ok


def test_parent_cannot_cancel_after_deadline_but_the_agent_can_and_is_logged(town, agent):
    apply(town, (town["classique"], MONDAY, ADD))
    late = datetime(2026, 11, 18, 10, tzinfo=PARIS)
    refused = apply(town, (town["classique"], MONDAY, CANCEL), now=late)
    assert refused.refused[0].message == (
        "Le délai pour annuler le lundi 23 novembre 2026 est dépassé (jusqu'au mercredi 18 novembre 2026 à 10h00)."
    )
    assert active(town["lea"], town["classique"], MONDAY) is not None
    done = apply(town, (town["classique"], MONDAY, CANCEL), now=late, as_staff=True, by=agent)
    assert done.ok
    booking = Booking.objects.get()
    assert booking.state == Booking.State.CANCELLED and booking.updated_by == agent
    last = booking.history.first()
    assert last.history_user == agent
    assert last.history_change_reason == "Modification par le service enfance"


def test_cancel_and_add_rules_differ_when_the_town_says_so(town):
    canteen = town["canteen"]
    canteen.cancel_deadline_days = 1
    canteen.save()
    apply(town, (town["classique"], MONDAY, ADD))
    # Thursday 19 November: too late to reserve Monday (Wednesday 10h) but still before Friday 10h to cancel.
    thursday = datetime(2026, 11, 19, 12, tzinfo=PARIS)
    assert apply(town, (town["classique"], MONDAY, CANCEL), now=thursday).ok
    assert apply(town, (town["classique"], MONDAY, ADD), now=thursday).refused[0].code == "deadline"


def test_all_or_nothing_saves_nothing_when_one_change_is_refused(town):
    result = apply(
        town,
        (town["classique"], MONDAY, ADD),
        (town["classique"], date(2026, 11, 25), ADD),  # mercredi: the canteen is closed
        (town["classique"], date(2026, 11, 11), ADD),  # 11 novembre
    )
    assert [r.change.day for r in result.refused] == [date(2026, 11, 25), date(2026, 11, 11)]
    assert (
        result.refused[0].message
        == "« Restauration scolaire 2026-2027 » n'est pas ouvert le mercredi 25 novembre 2026."
    )
    assert not Booking.objects.exists()


def test_advanced_mode_applies_what_can_be_and_reports_the_rest(town):
    result = apply(
        town,
        (town["classique"], MONDAY, ADD),
        (town["classique"], date(2026, 11, 25), ADD),
        all_or_nothing=False,
    )
    assert [b.date for b in result.reserved] == [MONDAY]
    assert [r.code for r in result.refused] == ["closed"]
    assert Booking.objects.count() == 1


def test_closure_refuses_the_day_with_its_reason(town, agent):
    Closure.objects.create(
        start_date=MONDAY,
        end_date=MONDAY,
        reason="Grève du personnel de restauration",
        activity=town["canteen"],
        created_by=agent,
    )
    result = apply(town, (town["classique"], MONDAY, ADD))
    assert result.refused[0].message == (
        "« Repas classique » est fermé le lundi 23 novembre 2026 (Grève du personnel de restauration)."
    )


def test_school_closure_only_concerns_its_pupils(town, agent):
    Closure.objects.create(
        start_date=MONDAY, end_date=MONDAY, reason="Travaux", school=town["school"], created_by=agent
    )
    other = AcceptedEnrolmentFactory(activity=town["canteen"]).child  # another school
    other.health_form_confirmed_on = date(2026, 9, 1)
    other.save()
    assert apply(town, (town["classique"], MONDAY, ADD)).refused[0].code == "closed"
    assert apply(town, (town["classique"], MONDAY, ADD), child=other, by=None).ok


def test_child_without_accepted_enrolment_cannot_book(town):
    periscolaire = ActivityFactory(name="Accueil périscolaire", kind=ActivityKind.PERISCOLAIRE)
    morning = UnitFactory(activity=periscolaire, label="Accueil du matin", code="matin", exclusive_group="")
    result = apply(town, (morning, MONDAY, ADD))
    assert result.refused[0].message == (
        "Léa n'a pas d'inscription acceptée à « Accueil périscolaire » pour le lundi 23 novembre 2026."
    )


def test_parent_must_confirm_the_fiche_sanitaire_but_not_the_agent(town, agent):
    lea = town["lea"]
    lea.health_form_confirmed_on = date(2025, 9, 1)  # last school year
    lea.save()
    assert apply(town, (town["classique"], MONDAY, ADD)).refused[0].code == "health_form_required"
    assert apply(town, (town["classique"], MONDAY, ADD), as_staff=True, by=agent).ok


def test_database_refuses_two_active_bookings_for_one_child_unit_and_day(town):
    Booking.objects.create(child=town["lea"], unit=town["classique"], date=MONDAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(child=town["lea"], unit=town["classique"], date=MONDAY)


# --- exclusive and dependent units ----------------------------------------------------------------------------


def test_choosing_the_vegetarian_meal_replaces_the_classic_one(town):
    apply(town, (town["classique"], MONDAY, ADD))
    result = apply(town, (town["vege"], MONDAY, ADD))
    assert result.ok
    assert active(town["lea"], town["classique"], MONDAY) is None
    assert active(town["lea"], town["vege"], MONDAY).state == Booking.State.RESERVED
    assert [b.unit for b in result.cancelled] == [town["classique"]]


def test_one_meal_type_a_day_even_in_one_batch(town):
    result = apply(town, (town["classique"], MONDAY, ADD), (town["vege"], MONDAY, ADD))
    assert result.ok
    assert Booking.objects.filter(state=Booking.State.RESERVED).count() == 1


@pytest.fixture
def evening(town):
    periscolaire = ActivityFactory(name="Accueil périscolaire", kind=ActivityKind.PERISCOLAIRE)
    unit = UnitFactory(activity=periscolaire, label="Accueil du soir", code="soir", exclusive_group="")
    unit.requires.set([town["classique"], town["vege"]])
    AcceptedEnrolmentFactory(child=town["lea"], activity=periscolaire)
    return unit


def test_evening_slot_needs_a_meal_that_day(town, evening):
    result = apply(town, (evening, MONDAY, ADD))
    assert result.refused[0].message == (
        "« Accueil du soir » du lundi 23 novembre 2026 nécessite aussi : Repas classique ou Repas végétarien."
    )
    # Submitted together, in any order, the meal makes the evening possible.
    assert apply(town, (evening, MONDAY, ADD), (town["vege"], MONDAY, ADD)).ok
    assert active(town["lea"], evening, MONDAY) is not None


def test_cancelling_the_meal_of_an_evening_slot_is_refused_but_changing_its_type_is_not(town, evening):
    apply(town, (town["classique"], MONDAY, ADD), (evening, MONDAY, ADD))
    refused = apply(town, (town["classique"], MONDAY, CANCEL))
    assert (
        refused.refused[0].message
        == "Annulez d'abord « Accueil du soir » du lundi 23 novembre 2026, qui en dépend."
    )
    assert apply(town, (town["vege"], MONDAY, ADD)).ok
    assert apply(town, (town["vege"], MONDAY, CANCEL), (evening, MONDAY, CANCEL)).ok
    assert not Booking.objects.filter(state__in=Booking.ACTIVE).exists()


# --- capacity and waiting list --------------------------------------------------------------------------------


@pytest.fixture
def one_place(town):
    unit = town["classique"]
    unit.capacity = 1
    unit.save()
    return unit


def test_full_day_goes_to_the_waiting_list_with_its_position(town, one_place):
    assert apply(town, (one_place, MONDAY, ADD)).reserved
    chloe = apply(town, (one_place, MONDAY, ADD), child=town["chloe"])
    hugo = apply(town, (one_place, MONDAY, ADD), child=town["hugo"])
    assert [b.state for b in chloe.waiting] == [Booking.State.WAITING]
    assert chloe.positions == {chloe.waiting[0].pk: 1}
    assert hugo.positions == {hugo.waiting[0].pk: 2}


def test_activity_capacity_applies_when_the_unit_has_none(town):
    canteen = town["canteen"]
    canteen.capacity = 1
    canteen.save()
    apply(town, (town["classique"], MONDAY, ADD))
    assert apply(town, (town["classique"], MONDAY, ADD), child=town["chloe"]).waiting


def test_cancellation_promotes_the_first_in_line_and_tells_the_family(
    town, one_place, mailoutbox, django_capture_on_commit_callbacks
):
    apply(town, (one_place, MONDAY, ADD))
    apply(town, (one_place, MONDAY, ADD), child=town["chloe"])
    apply(town, (one_place, MONDAY, ADD), child=town["hugo"])
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(town, (one_place, MONDAY, CANCEL))
    assert [b.child for b in result.promoted] == [town["chloe"]]
    assert active(town["chloe"], one_place, MONDAY).state == Booking.State.RESERVED
    hugo = active(town["hugo"], one_place, MONDAY)
    assert waiting_positions(bookings=[hugo]) == {hugo.pk: 1}
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["sophie.bernard@exemple.fr"]
    assert "Chloé" in mailoutbox[0].body and "lundi 23 novembre 2026" in mailoutbox[0].body


def test_no_promotion_once_the_add_deadline_is_over(
    town, one_place, agent, mailoutbox, django_capture_on_commit_callbacks
):
    apply(town, (one_place, MONDAY, ADD))
    apply(town, (one_place, MONDAY, ADD), child=town["chloe"])
    with django_capture_on_commit_callbacks(execute=True):
        result = apply(
            town,
            (one_place, MONDAY, CANCEL),
            as_staff=True,
            by=agent,
            now=datetime(2026, 11, 20, 8, tzinfo=PARIS),
        )
    assert result.promoted == []
    assert active(town["chloe"], one_place, MONDAY).state == Booking.State.WAITING
    assert mailoutbox == []


def test_leaving_the_waiting_list_closes_the_gap(town, one_place):
    apply(town, (one_place, MONDAY, ADD))
    apply(town, (one_place, MONDAY, ADD), child=town["chloe"])
    apply(town, (one_place, MONDAY, ADD), child=town["hugo"])
    apply(town, (one_place, MONDAY, CANCEL), child=town["chloe"])
    hugo = active(town["hugo"], one_place, MONDAY)
    assert hugo.state == Booking.State.WAITING
    assert waiting_positions(bookings=[hugo]) == {hugo.pk: 1}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    capacity=st.integers(min_value=1, max_value=2),
    steps=st.lists(
        st.tuples(st.sampled_from(["lea", "hugo", "chloe"]), st.sampled_from([ADD, CANCEL])), max_size=12
    ),
)
def test_never_more_reserved_than_capacity_and_waiting_positions_have_no_gaps(town, capacity, steps):
    unit = town["classique"]
    with transaction.atomic():
        unit.capacity = capacity
        unit.save()
        for name, action in steps:
            apply(town, (unit, MONDAY, action), child=town[name])
            day = Booking.objects.filter(unit=unit, date=MONDAY)
            reserved = day.filter(state=Booking.State.RESERVED).count()
            waiting = list(day.filter(state=Booking.State.WAITING))
            assert reserved <= capacity
            assert not waiting or reserved == capacity  # a free place never leaves anyone waiting
            assert sorted(waiting_positions(bookings=waiting).values()) == list(range(1, len(waiting) + 1))
        transaction.set_rollback(True)


# --- weekly planning and the parent's planning view -----------------------------------------------------------


def test_accepted_enrolment_books_its_weekly_planning(town, agent):
    lea = town["lea"]
    enrolment = lea.enrolments.get()
    enrolment.end_date = date(2026, 11, 30)
    enrolment.planning_weekdays = [0, 3]  # lundi et jeudi
    enrolment.save()
    enrolment.planning_units.set([town["vege"]])
    Closure.objects.create(
        start_date=date(2026, 11, 26), end_date=date(2026, 11, 26), reason="Pont", created_by=agent
    )
    result = bookings_from_enrolment(
        enrolment=enrolment, by=agent, now=datetime(2026, 11, 10, 12, tzinfo=PARIS)
    )
    assert sorted(b.date for b in result.reserved) == [
        date(2026, 11, 12),
        date(2026, 11, 16),
        date(2026, 11, 19),
        date(2026, 11, 23),
        date(2026, 11, 30),
    ]
    assert [r.code for r in result.refused] == []  # the closure removed Thursday 26 from the open days
    assert all(b.created_by == agent for b in result.reserved)


def test_planning_shows_each_open_day_with_its_state_and_deadline(
    town, one_place, django_assert_max_num_queries
):
    apply(town, (one_place, MONDAY, ADD), child=town["chloe"])
    apply(town, (one_place, MONDAY, ADD))  # waiting, position 1
    apply(town, (town["vege"], date(2026, 11, 24), ADD))
    with django_assert_max_num_queries(5):
        cells = child_planning(child=town["lea"], start=MONDAY, end=date(2026, 11, 29), now=BEFORE_DEADLINE)
    by_key = {(c.day, c.unit.code): c for c in cells}
    assert len(cells) == 8  # lundi, mardi, jeudi, vendredi × 2 meal types
    monday = by_key[(MONDAY, "repas-classique")]
    assert (monday.state, monday.waiting_position) == (PlanningState.WAITING, 1)
    tuesday = by_key[(date(2026, 11, 24), "repas-vege")]
    assert tuesday.state == PlanningState.RESERVED
    assert tuesday.editable_until == datetime(2026, 11, 19, 10, tzinfo=PARIS)
    friday = by_key[(date(2026, 11, 27), "repas-vege")]
    assert (friday.state, friday.editable_until) == (
        PlanningState.AVAILABLE,
        datetime(2026, 11, 24, 10, tzinfo=PARIS),
    )
    late = child_planning(
        child=town["lea"], start=MONDAY, end=MONDAY, now=datetime(2026, 11, 18, 10, tzinfo=PARIS)
    )
    assert {c.editable_until for c in late} == {None}


def test_planning_query_count_does_not_grow_with_the_range(town, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        cells = child_planning(
            child=town["lea"], start=date(2026, 9, 1), end=date(2027, 7, 3), now=BEFORE_DEADLINE
        )
    assert len(cells) > 250


def test_a_month_for_three_children_costs_the_same_queries_as_one_day(town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from families.services.opening import activity_open_days

    def book(start, end):
        days = activity_open_days(activity=town["canteen"], start=start, end=end)
        changes = [
            Change(child=town[name], unit=town["classique"], day=day)
            for name in ("lea", "hugo", "chloe")
            for day in days
        ]
        with CaptureQueriesContext(connection) as queries:
            result = bookings_apply(
                child_changes=changes, by=town["martin_parent"].user, as_staff=False, now=BEFORE_DEADLINE
            )
        assert result.ok
        return len(result.reserved), len(queries)

    one_day, one_day_queries = book(MONDAY, MONDAY)
    month, month_queries = book(date(2026, 12, 1), date(2026, 12, 18))
    assert (one_day, month) == (3, 3 * 11)  # 1er au 18 décembre 2026: 11 school days (mercredis off)
    assert month_queries == one_day_queries


def test_changing_the_meal_type_of_a_month_costs_the_same_queries_as_one_day(town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from families.services.opening import activity_open_days

    def switch(start, end):
        days = activity_open_days(activity=town["canteen"], start=start, end=end)
        apply(town, *[(town["classique"], day, ADD) for day in days])
        with CaptureQueriesContext(connection) as queries:
            result = apply(town, *[(town["vege"], day, ADD) for day in days])
        assert len(result.cancelled) == len(days)
        return len(queries)

    assert switch(date(2026, 12, 1), date(2026, 12, 18)) == switch(MONDAY, MONDAY)
