"""flask --app wsgi designations: kinds, list, grant, revoke; refusals exit non-zero and change nothing."""
from sqlalchemy import select

from directory.audit.models import AuditEntry
from directory.database import write_session


def test_grant_list_and_revoke(app, runner, add_institution):
    iid = add_institution("南京市中小企业公共服务中心", "municipal", "320100")
    kinds = runner.invoke(args=["designations", "kinds"])
    assert kinds.exit_code == 0 and "national_base\tnational\t国家小型微型企业创业创新示范基地" in kinds.output
    granted = runner.invoke(args=["designations", "grant", str(iid), "national_demo_platform",
                                  "--batch", "2018年", "--granted-on", "2018-11-02"])
    assert granted.exit_code == 0, granted.output
    did = granted.output.split("\t")[0]
    assert "2018年\t工业和信息化部\t2018-11-02 →\tactive" in granted.output
    revoked = runner.invoke(args=["designations", "revoke", str(iid), did, "--on", "2024-04-30"])
    assert revoked.exit_code == 0 and "2018-11-02 → 2024-04-30\trevoked" in revoked.output
    listed = runner.invoke(args=["designations", "list", str(iid)])
    assert listed.output.count("\n") == 1 and "revoked" in listed.output
    with app.app_context(), write_session() as session:
        actions = [(e.actor, e.action) for e in session.scalars(select(AuditEntry).where(
            AuditEntry.entity_id == iid).order_by(AuditEntry.id))]
    assert actions[-2:] == [("cli", "designate"), ("cli", "revoke_designation")]


def test_refusals_exit_non_zero(runner, add_institution):
    iid = add_institution("镇江市中小企业公共服务中心", "municipal", "321100")
    for args, message in [
        (["grant", str(iid), "nonsense"], "Unknown designation kind"),
        (["grant", str(iid), "provincial_base", "--granted-on", "2024-02-30"], "2024-02-30"),
        (["grant", "999999", "provincial_base"], "No institution with id 999999"),
        (["revoke", str(iid), "424242"], "has no designation 424242"),
    ]:
        result = runner.invoke(args=["designations", *args])
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    assert runner.invoke(args=["designations", "list", str(iid)]).output == ""
