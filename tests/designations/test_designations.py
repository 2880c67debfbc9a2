"""Designations through the service functions: grant, revoke (history kept), the derived flag,
the import hook, merging, the audit trail and kinds kept as data."""
from datetime import date, timedelta

import pytest
from sqlalchemy import delete, select

from directory.institutions.history import institution_history, restore_version
from directory.audit.models import AuditEntry
from directory.database import write_session
from directory.designations.models import Designation, DesignationKind
from directory.designations.service import DesignationInvalid, parse_batch
from directory.institutions.designations import apply_designation_from_import, grant_designation, revoke_designation
from directory.institutions.merge import merge_institutions
from directory.institutions.models import Institution
from directory.institutions.service import update_institution
from directory.reference_data import load_reference_data
from directory.timestamps import today


@pytest.fixture
def suzhou(add_institution):
    return add_institution("苏州市中小企业公共服务中心", "municipal", "320500", ("policy", "financing"))


def in_session(app, work):
    """Run ``work(session)`` in one committed write transaction and return its result."""
    with app.app_context(), write_session() as session, session.begin():
        return work(session)


def test_grant_then_revoke_keeps_the_history_and_the_flag_follows(app, suzhou):
    granted = in_session(app, lambda s: grant_designation(
        s, institution=s.get(Institution, suzhou), kind="national_demo_platform", batch="2019年第一批",
        granted_on=date(2019, 11, 20)).id)
    assert in_session(app, lambda s: s.get(Institution, suzhou).demonstration_platform)
    in_session(app, lambda s: revoke_designation(s, designation=s.get(Designation, granted),
                                                 revoked_on=date(2024, 3, 1)))
    rows = in_session(app, lambda s: [(d.kind, d.batch, d.granted_on, d.revoked_on)
                                      for d in s.get(Institution, suzhou).designations])
    assert rows == [("national_demo_platform", "2019年第一批", date(2019, 11, 20), date(2024, 3, 1))]
    assert not in_session(app, lambda s: s.get(Institution, suzhou).demonstration_platform)
    # Revoked, it may be granted again (entry and exit): both rows remain.
    in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, suzhou),
                                                kind="national_demo_platform", batch="2025年"))
    assert in_session(app, lambda s: len(s.get(Institution, suzhou).designations)) == 2


@pytest.mark.parametrize("fields, field", [
    ({"kind": "no_such_kind"}, "kind"),
    ({"kind": "x" * 500}, "kind"),
    ({"kind": "provincial_base", "granted_on": today() + timedelta(days=1)}, "granted_on"),
    ({"kind": "provincial_base", "batch": "批" * 101}, "batch"),
    ({"kind": "provincial_base", "granted_by": "江苏省\x00工信厅"}, "granted_by"),
])
def test_bad_grants_are_refused_with_a_field_message_and_change_nothing(app, suzhou, fields, field):
    with pytest.raises(DesignationInvalid) as refused:
        in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, suzhou), **fields))
    assert list(refused.value.errors) == [field] and list(refused.value.errors_zh) == [field]
    assert in_session(app, lambda s: s.scalars(select(Designation)).all()) == []


def test_a_second_active_designation_of_one_kind_is_refused(app, suzhou):
    grant = lambda s: grant_designation(s, institution=s.get(Institution, suzhou), kind="provincial_base")  # noqa: E731
    in_session(app, grant)
    with pytest.raises(DesignationInvalid) as refused:
        in_session(app, grant)
    assert "already holds" in refused.value.errors["kind"][0] and "请先撤销" in refused.value.errors_zh["kind"][0]


@pytest.mark.parametrize("revoked_on, message", [
    (date(2018, 1, 1), "before the grant"),
    (today() + timedelta(days=3), "future"),
])
def test_bad_revocations_are_refused(app, suzhou, revoked_on, message):
    did = in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, suzhou),
                                                      kind="provincial_demo_platform", granted_on=date(2020, 1, 2)).id)
    with pytest.raises(DesignationInvalid) as refused:
        in_session(app, lambda s: revoke_designation(s, designation=s.get(Designation, did), revoked_on=revoked_on))
    assert message in refused.value.errors["revoked_on"][0]
    assert in_session(app, lambda s: s.get(Designation, did).revoked_on) is None


def test_revoking_twice_is_refused(app, suzhou):
    did = in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, suzhou),
                                                      kind="provincial_base").id)
    in_session(app, lambda s: revoke_designation(s, designation=s.get(Designation, did)))
    with pytest.raises(DesignationInvalid, match="Already revoked"):
        in_session(app, lambda s: revoke_designation(s, designation=s.get(Designation, did)))


def test_writing_the_old_flag_grants_and_revokes_a_national_designation(app, add_institution):
    iid = add_institution("江苏省中小企业发展中心", "provincial", "320000", demonstration_platform=True)
    rows = in_session(app, lambda s: [(d.kind, d.granted_on, d.revoked_on) for d in s.get(Institution, iid).designations])
    assert rows == [("national_demo_platform", today(), None)]
    in_session(app, lambda s: update_institution(s, institution=s.get(Institution, iid),
                                                 changes={"demonstration_platform": True}))   # already so: no-op
    in_session(app, lambda s: update_institution(s, institution=s.get(Institution, iid),
                                                 changes={"demonstration_platform": False}))
    rows = in_session(app, lambda s: [(d.kind, d.revoked_on) for d in s.get(Institution, iid).designations])
    assert rows == [("national_demo_platform", today())]
    assert not in_session(app, lambda s: s.get(Institution, iid).demonstration_platform)


def test_designation_changes_show_in_the_history_and_a_restore_brings_the_flag_back(app, suzhou):
    did = in_session(app, lambda s: grant_designation(
        s, institution=s.get(Institution, suzhou), kind="national_demo_platform", batch="2021年",
        granted_on=date(2021, 10, 8)).id)
    in_session(app, lambda s: revoke_designation(s, designation=s.get(Designation, did), revoked_on=date(2023, 5, 1)))
    history = in_session(app, lambda s: institution_history(s, suzhou))
    revoked, granted = history[0], history[1]
    assert (revoked["entry"].action, granted["entry"].action) == ("revoke_designation", "designate")
    changed = {field: (before, after) for field, before, after in revoked["changes"]}
    assert changed["designations"] == (
        ["national_demo_platform · 2021年 · 工业和信息化部 · 2021-10-08 →"],
        ["national_demo_platform · 2021年 · 工业和信息化部 · 2021-10-08 → 2023-05-01"])
    assert changed["demonstration_platform"] == (True, False)
    assert dict((f, (b, a)) for f, b, a in granted["changes"])["demonstration_platform"] == (False, True)
    # Restoring the version after the grant writes the flag: a new national designation.
    in_session(app, lambda s: restore_version(s, institution=s.get(Institution, suzhou),
                                              entry_id=granted["entry"].id))
    assert in_session(app, lambda s: s.get(Institution, suzhou).demonstration_platform)


def test_a_refused_grant_leaves_no_audit_entry(app, suzhou):
    before = in_session(app, lambda s: len(s.scalars(select(AuditEntry)).all()))
    with pytest.raises(DesignationInvalid):
        in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, suzhou), kind="nope"))
    assert in_session(app, lambda s: len(s.scalars(select(AuditEntry)).all())) == before


@pytest.mark.parametrize("cell, batch, granted_on", [
    ("2021年第三批", "2021年第三批", None),
    ("  2019 ", "2019", None),
    ("2021-06-15", "2021-06-15", date(2021, 6, 15)),
    ("2020年6月5日", "2020年6月5日", date(2020, 6, 5)),
    ("2018/12/1", "2018/12/1", date(2018, 12, 1)),
    ("", None, None),
    (None, None, None),
])
def test_parse_batch(cell, batch, granted_on):
    assert parse_batch(cell) == (batch, granted_on)


def test_import_hook_grants_then_completes_the_active_designation(app, suzhou):
    first = in_session(app, lambda s: apply_designation_from_import(
        s, institution=s.get(Institution, suzhou), kind="national_demo_platform", batch="2020年第二批").id)
    again = in_session(app, lambda s: apply_designation_from_import(
        s, institution=s.get(Institution, suzhou), kind="national_demo_platform", batch="2020-11-30").id)
    assert first == again
    row = in_session(app, lambda s: (lambda d: (d.batch, d.granted_on, d.granted_by))(s.get(Designation, first)))
    assert row == ("2020-11-30", date(2020, 11, 30), "工业和信息化部")
    assert in_session(app, lambda s: s.get(Institution, suzhou).demonstration_platform)


@pytest.mark.parametrize("kind, batch, field", [
    ("national_demo_platform", "2021-13-45", "designation_batch"),
    ("national_demo_platform", "批" * 101, "batch"),
    ("unknown_kind", "2021", "kind"),
])
def test_import_hook_refuses_bad_cells_in_both_languages(app, suzhou, kind, batch, field):
    with pytest.raises(DesignationInvalid) as refused:
        in_session(app, lambda s: apply_designation_from_import(s, institution=s.get(Institution, suzhou),
                                                                kind=kind, batch=batch))
    assert field in refused.value.errors and field in refused.value.errors_zh
    assert refused.value.errors_zh[field][0] != refused.value.errors[field][0]


def test_merging_carries_active_designations_and_keeps_both_histories(app, add_institution):
    keep = add_institution("昆山市中小企业服务中心", "county", "320583", operator=None)
    duplicate = add_institution("昆山中小企业服务中心", "county", "320583", operator="昆山市工业和信息化局")
    did = in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, duplicate),
                                                      kind="provincial_demo_platform", batch="2022年",
                                                      granted_on=date(2022, 9, 1)).id)
    in_session(app, lambda s: grant_designation(s, institution=s.get(Institution, duplicate), kind="provincial_base",
                                                granted_on=date(2018, 9, 1)))
    in_session(app, lambda s: revoke_designation(s, designation=s.get(Institution, duplicate).designations[1],
                                                 revoked_on=date(2020, 1, 1)))
    in_session(app, lambda s: merge_institutions(s, duplicate=s.get(Institution, duplicate), keep=s.get(Institution, keep)))
    kept = in_session(app, lambda s: [(d.kind, d.batch, d.granted_on, d.revoked_on)
                                      for d in s.get(Institution, keep).designations])
    assert kept == [("provincial_demo_platform", "2022年", date(2022, 9, 1), None)]   # the revoked one stays behind
    assert in_session(app, lambda s: s.get(Institution, keep).operator) == "昆山市工业和信息化局"
    assert in_session(app, lambda s: s.get(Designation, did).institution_id) == duplicate


def test_kinds_are_data_a_new_row_adds_a_kind(app, tmp_path, monkeypatch):
    from directory import reference_data

    extended = tmp_path / "designation_kinds.csv"
    extended.write_text(reference_data.DESIGNATION_KINDS_CSV.read_text(encoding="utf-8")
                        + "specialised_platform,专精特新服务示范平台,Specialised SME service platform,provincial,\n",
                        encoding="utf-8")
    monkeypatch.setattr(reference_data, "DESIGNATION_KINDS_CSV", extended)
    try:
        assert in_session(app, load_reference_data)["designation_kinds"] == 1
        kind = in_session(app, lambda s: s.get(DesignationKind, "specialised_platform"))
        assert (kind.name_zh, kind.level.value, kind.position) == ("专精特新服务示范平台", "provincial", 4)
    finally:
        in_session(app, lambda s: s.execute(delete(DesignationKind).where(
            DesignationKind.code == "specialised_platform")))
