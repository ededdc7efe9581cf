"""The query vocabulary of domain/query.py as the store runs it: filters select the records they
name, sorts give the order domain/query.py defines (so records sorted in memory agree with the
database), and anything that is not a field of the record is refused before SQL is built."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from decimal import Decimal
from pathlib import Path

import pytest

from fieldkit.domain.choices import ActionStatus, VisitStatus
from fieldkit.domain.ids import new_id
from fieldkit.domain.query import ANY_ORDER, Equals, HasItem, InDateRange, Sort, sorted_by
from fieldkit.domain.records import Attachment, Facility, Grant, Record, Visit
from fieldkit.domain.values import FollowUp
from fieldkit.store.store import Store

DAY = dt.date(2026, 3, 10)
F1, F2 = new_id(), new_id()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "v.db", os.urandom(32))


def saved(store: Store, *records: Record) -> list[Record]:
    with store.transaction():
        return [store.insert(r) for r in records]


def ids(records: list[Record]) -> list[str]:
    return [r.id for r in records]


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize(
    ("cls", "field"),
    [(Grant, "name"), (Grant, "amount"), (Visit, "status"), (Visit, "start_date")],
)
def test_the_store_sorts_as_the_domain_does(
    store: Store, cls: type[Record], field: str, descending: bool
) -> None:
    names = ["beta", "Alpha", "", "alpha", "Gamma", "beta"]
    amounts = [Decimal("10.50"), Decimal("9"), Decimal("100"), Decimal("9"), None, Decimal(0)]
    if cls is Grant:
        records = [
            Grant(award_number=f"A{n}", grantee="G", name=name, amount=amount)
            for n, (name, amount) in enumerate(zip(names, amounts, strict=True))
        ]
    else:
        records = [
            Visit(
                facility_id=F1,
                start_date=None if n == 2 else DAY + dt.timedelta(days=n % 3),
                status=VisitStatus.FINAL if n % 2 else VisitStatus.DRAFT,
            )
            for n in range(6)
        ]
    stored = saved(store, *records)
    listed = store.list(cls, sort=(Sort(field, descending), Sort("id", descending)))
    expected = sorted_by(sorted_by(stored, Sort("id", descending)), Sort(field, descending))
    assert ids(listed) == ids(expected)
    if field == "status":  # declared order: draft before final
        first = VisitStatus.FINAL if descending else VisitStatus.DRAFT
        assert getattr(listed[0], field) is first


def test_filters_by_reference_date_range_and_items(store: Store) -> None:
    follow_up = FollowUp(action="Call", status=ActionStatus.OPEN)
    done = FollowUp(action="Done", status=ActionStatus.DONE)
    later = FollowUp(action="Later", status=ActionStatus.OPEN)
    early, inside, late, undated = saved(
        store,
        Visit(facility_id=F1, start_date=DAY - dt.timedelta(days=1), follow_ups=(follow_up,)),
        Visit(facility_id=F1, start_date=DAY, follow_ups=(done,)),
        Visit(facility_id=F2, start_date=DAY + dt.timedelta(days=5), follow_ups=(done, later)),
        Visit(facility_id=F1, start_date=None),
    )

    def found(*filters: Equals | InDateRange | HasItem) -> set[str]:
        return {r.id for r in store.list(Visit, filters=filters, sort=ANY_ORDER)}

    assert found(Equals("facility_id", F1)) == {early.id, inside.id, undated.id}
    assert found(InDateRange("start_date", DAY, DAY + dt.timedelta(days=5))) == {
        inside.id,
        late.id,
    }
    assert found(InDateRange("start_date", end=DAY)) == {early.id, inside.id}
    assert found(HasItem("follow_ups", "status", ActionStatus.OPEN)) == {early.id, late.id}
    assert found(Equals("facility_id", F1), HasItem("follow_ups", "status", "open")) == {early.id}
    assert found(Equals("status", VisitStatus.DRAFT)) == {early.id, inside.id, late.id, undated.id}


def test_deleted_records_only_when_asked(store: Store) -> None:
    kept, gone = saved(store, Facility(name="Kept"), Facility(name="Gone"))
    with store.transaction():
        store.update(gone, dataclasses.replace(gone, deleted=True))
    assert ids(store.list(Facility)) == [kept.id]
    assert set(ids(store.list(Facility, include_deleted=True))) == {kept.id, gone.id}
    assert ids(store.list(Facility, filters=[Equals("deleted", True)], include_deleted=True)) == [
        gone.id
    ]


def test_attachments_by_kind_and_record(store: Store) -> None:
    on_visit, _other = saved(
        store,
        Attachment(record_kind="visit", record_id="v1", filename="a.pdf", sha256="0"),
        Attachment(record_kind="case", record_id="c1", filename="b.pdf", sha256="1"),
    )
    by_kind = store.list(Attachment, filters=[Equals("record_kind", "visit")])
    assert ids(by_kind) == [on_visit.id]
    assert ids(store.list(Attachment, filters=[Equals("record_id", "v1")])) == [on_visit.id]


def test_paging_takes_limit_and_offset(store: Store) -> None:
    saved(store, *(Facility(name=f"Plant {n:02}") for n in range(7)))
    by_name = (Sort("name"), Sort("id"))
    pages = [store.list(Facility, sort=by_name, limit=3, offset=o) for o in (0, 3, 6)]
    assert [[f.name for f in page] for page in pages] == [
        ["Plant 00", "Plant 01", "Plant 02"],
        ["Plant 03", "Plant 04", "Plant 05"],
        ["Plant 06"],
    ]
    assert len(store.list(Facility, sort=by_name, offset=5)) == 2


@pytest.mark.parametrize(
    ("sort", "filters"),
    [
        ((Sort("name; DROP TABLE facilities"),), ()),
        ((Sort("name COLLATE BINARY"),), ()),
        ((Sort("no_such_field"),), ()),
        ((Sort("notes_that_do_not_exist"),), ()),
        ((), (Equals("name = name OR 1", "x"),)),
        ((), (InDateRange("name", DAY, DAY),)),
        ((), (HasItem("name", "status", "open"),)),
    ],
)
def test_anything_but_a_field_is_refused(
    store: Store, sort: tuple[Sort, ...], filters: tuple[Equals | InDateRange | HasItem, ...]
) -> None:
    with pytest.raises((ValueError, KeyError)):
        store.list(Facility, sort=sort, filters=filters)


def test_lists_and_long_texts_are_not_sort_orders(store: Store) -> None:
    with pytest.raises(ValueError, match="list"):
        store.list(Visit, sort=(Sort("follow_ups"),))
    with pytest.raises(ValueError, match="cannot sort"):
        store.list(Visit, sort=(Sort("findings"),))
    with pytest.raises(ValueError, match="no field"):
        store.list(Visit, filters=[HasItem("follow_ups", "status') = 1 OR ('", "x")])
