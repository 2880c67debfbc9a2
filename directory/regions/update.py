"""Applying a new edition of the division list and its change list to the registry.

New codes are added, renamed ones renamed, retired ones kept with their retirement day and
successors. Institutions, events and administrators' scopes placed in a retired division move
to its successor when there is exactly one of the same level (an audited change, like any
other); where the area went to several successors (or to none of the same level) they are
listed for an administrator to place: nothing is moved by guess.
"""
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlmodel import Session

from directory.regions.editions import NON_MAINLAND_PROVINCES, ChangeList, UnreadableList, level_of, parent_of
from directory.regions.models import DivisionEdition, Region, RegionSuccessor
from directory.regions.selectors import DivisionList, UnresolvedSelector, resolve
from directory.regions.validity import current_edition
from directory.timestamps import utcnow

AUDIT_ACTION = "division_change"
EDITION_NAME = re.compile(r"[\w.-]{1,16}", re.ASCII)
# The models whose records sit in a division (a ``region_code`` column), by entity name: the features
# owning them register them (``place_in_divisions``, called by the application factory).
PLACED: dict[str, type] = {}


def place_in_divisions(entity: str, model: type) -> None:
    """Move ``model``'s records out of retired divisions when the division list is updated."""
    PLACED[entity] = model


@dataclass
class DivisionUpdate:
    """What an update changed (or, in a dry run, would change)."""

    edition: str
    published_on: date
    previous_edition: str | None
    added: list[dict] = field(default_factory=list)
    renamed: list[dict] = field(default_factory=list)
    retired: list[dict] = field(default_factory=list)
    reparented: list[dict] = field(default_factory=list)
    boundary_changes: list[dict] = field(default_factory=list)
    moved: list[dict] = field(default_factory=list)
    to_place: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        counts = {key: len(getattr(self, key)) for key in
                  ("added", "renamed", "retired", "reparented", "boundary_changes", "moved", "to_place")}
        return {"edition": self.edition, "published_on": self.published_on.isoformat(),
                "previous_edition": self.previous_edition, "counts": counts,
                **{key: getattr(self, key) for key in counts}}

    def summary_lines(self) -> list[str]:
        """The report as lines for the command line."""
        lines = [f"Edition {self.previous_edition or '(none)'} -> {self.edition} ({self.published_on}): "
                 f"{len(self.added)} added, {len(self.renamed)} renamed, {len(self.retired)} retired, "
                 f"{len(self.reparented)} moved to another parent, {len(self.boundary_changes)} boundary changes; "
                 f"{len(self.moved)} records moved, {len(self.to_place)} to place."]
        lines += [f"  added    {d['code']} {d['name']} (in force from {d['in_force_from'] or 'before'}, "
                  f"parent {d['parent_code']}, from {', '.join(d['predecessors']) or '-'})" for d in self.added]
        lines += [f"  renamed  {d['code']} {d['old_name']} -> {d['name']}" for d in self.renamed]
        lines += [f"  retired  {d['code']} {d['name']} on {d['retired_on']} -> {', '.join(d['successors']) or '-'}"
                  for d in self.retired]
        lines += [f"  moved    {d['entity']} {d['id']} {d['name']}: {d['from_code']} -> {d['to_code']}"
                  for d in self.moved]
        lines += [f"  to place {d['entity']} {d['id']} {d['name']} in {d['code']} (retired): choose among "
                  f"{', '.join(d['successors']) or 'no recorded successor'}" for d in self.to_place]
        return lines


def apply_edition(session: Session, *, edition: str, published_on: date, divisions: dict[str, str],
                  changes: ChangeList) -> DivisionUpdate:
    """Bring the division table to ``divisions`` (an edition read by ``read_edition``); raises
    ``UnreadableList`` when the edition or change list does not fit the registry's current list.
    The caller owns the transaction (a dry run rolls it back)."""
    previous = current_edition(session)
    every = {region.code: region for region in session.scalars(select(Region))}
    in_force = {code: region for code, region in every.items() if region.retired_on is None}
    report = DivisionUpdate(edition=edition, published_on=published_on,
                            previous_edition=previous.edition if previous else None)
    problems = _edition_problems(previous, edition, published_on)
    old, new = DivisionList({code: r.name for code, r in in_force.items()}), DivisionList(divisions)
    base = not every     # an empty registry takes the edition as it is, without a change list
    minus, plus = changes.of("-"), changes.of("+")
    problems += _change_list_problems(in_force, divisions, minus, plus, base=base)
    if problems:
        raise UnreadableList(problems)
    try:
        successors = {code: resolve(minus[code], own=old, other=new) for code in in_force if code not in divisions}
        predecessors = {code: resolve(plus[code], own=new, other=old) if code in plus else []
                        for code in divisions if code not in in_force}
    except UnresolvedSelector as error:
        raise UnreadableList([str(error)]) from None

    for code in sorted(predecessors, key=lambda c: (level_of(c) != "province", level_of(c) == "county", c)):
        _add(session, every, report, code=code, name=divisions[code], parent=parent_of(code, divisions),
             day=None if base else (plus[code].day or published_on), predecessors=predecessors[code])
    for code, region in in_force.items():
        if code in divisions and region.name != divisions[code]:
            report.renamed.append({"code": code, "old_name": region.name, "name": divisions[code]})
            region.name = divisions[code]
        if code in divisions and region.parent_code != parent_of(code, divisions):
            report.reparented.append({"code": code, "old_parent_code": region.parent_code,
                                      "parent_code": parent_of(code, divisions)})
            region.parent_code = parent_of(code, divisions)
    session.flush()
    for code, chosen in sorted(successors.items()):
        region = in_force[code]
        region.retired_on = minus[code].day or published_on
        session.add_all(RegionSuccessor(code=code, successor_code=s) for s in chosen)
        report.retired.append({"code": code, "name": region.name, "retired_on": region.retired_on.isoformat(),
                               "successors": chosen, "notice": minus[code].notice})
    report.boundary_changes = [{"code": c.code, "name": c.name, "direction": c.direction,
                                "others": list(c.selectors), "day": c.day.isoformat() if c.day else None}
                               for c in changes.lines if c.kind == "="]
    session.flush()
    _relocate(session, report, {code: (in_force[code], chosen) for code, chosen in successors.items()})
    session.merge(DivisionEdition(edition=edition, published_on=published_on, applied_at=utcnow()))
    session.flush()
    return report


def _edition_problems(previous: DivisionEdition | None, edition: str, published_on: date) -> list[str]:
    if not EDITION_NAME.fullmatch(edition):
        return [f"Edition name {edition[:40]!r}: use 1 to 16 letters, digits, '.', '_' or '-' (e.g. 2025)."]
    if previous is not None and published_on <= previous.published_on:
        return [f"Edition {edition} ({published_on}) is not newer than edition {previous.edition} "
                f"({previous.published_on}) already in use."]
    return []


def _change_list_problems(in_force: dict[str, Region], divisions: dict[str, str], minus: dict, plus: dict,
                          *, base: bool) -> list[str]:
    """Every way the change list fails to explain the step from the current list to the new one."""
    if base:
        return []
    problems = [f"{code} {region.name} is not in the new edition, but the change list has no '-' line for it "
                "(is the change list the one from the edition in use?)"
                for code, region in sorted(in_force.items()) if code not in divisions and code not in minus]
    problems += [f"{code} {name} is new in the edition, but the change list has no '+' line for it"
                 for code, name in sorted(divisions.items()) if code not in in_force and code not in plus]
    for code, change in sorted(minus.items()):
        if code not in in_force or in_force[code].name != change.name:
            problems.append(f"line {change.line}: '-{code} {change.name}' is not a division in force now "
                            f"({in_force[code].name if code in in_force else 'unknown or retired code'})")
    for code, change in sorted(plus.items()):
        if divisions.get(code) != change.name:
            problems.append(f"line {change.line}: '+{code} {change.name}' is not in the new edition")
    return problems


def _add(session: Session, every: dict[str, Region], report: DivisionUpdate, *, code: str, name: str,
         parent: str | None, day: date | None, predecessors: list[str]) -> None:
    """Add a division (or bring back a retired code), placed where its predecessor or parent is."""
    near = [every[c] for c in predecessors if c in every and every[c].level == level_of(code)]
    near += [every[parent]] if parent in every else []
    spot = next((r for r in near if r.longitude is not None), None)
    values = {"name": name, "level": level_of(code), "parent_code": parent, "in_force_from": day,
              "retired_on": None, "mainland": code[:2] + "0000" not in NON_MAINLAND_PROVINCES,
              "longitude": spot.longitude if spot else None, "latitude": spot.latitude if spot else None}
    region = every.get(code)
    if region is None:
        region = every[code] = Region(code=code, **values)
        session.add(region)
    else:     # a code used again after its retirement
        session.execute(delete(RegionSuccessor).where(RegionSuccessor.code == code))
        for key, value in values.items():
            setattr(region, key, value)
    session.flush()
    report.added.append({"code": code, "name": name, "level": level_of(code).value, "parent_code": parent,
                         "in_force_from": day.isoformat() if day else None, "predecessors": predecessors})


def _relocate(session: Session, report: DivisionUpdate, retired: dict[str, tuple[Region, list[str]]]) -> None:
    """Move what sits in a retired division to its single successor of the same level, audited;
    list the rest for an administrator to place."""
    if not retired:
        return
    levels = {r.code: r.level for r in session.scalars(
        select(Region).where(Region.code.in_({s for _, chosen in retired.values() for s in chosen})))}
    for entity, model in PLACED.items():
        for record in session.scalars(select(model).where(model.region_code.in_(list(retired))).order_by(model.id)):
            region, chosen = retired[record.region_code]
            label = getattr(record, "name", None) or getattr(record, "title", None) or getattr(record, "username")
            if len(chosen) != 1 or levels[chosen[0]] != region.level:
                report.to_place.append({"entity": entity, "id": record.id, "name": label,
                                        "code": region.code, "successors": chosen})
                continue
            session.info.update(audit_action=AUDIT_ACTION, audit_detail=(
                f"{region.code} {region.name} retired on {region.retired_on.isoformat()}; "
                f"moved to its successor {chosen[0]} (division list edition {report.edition})"))
            try:
                record.region_code = chosen[0]
                if hasattr(record, "updated_at"):
                    record.updated_at = utcnow()
                session.flush()
            finally:
                session.info.pop("audit_action", None)
                session.info.pop("audit_detail", None)
            report.moved.append({"entity": entity, "id": record.id, "name": label,
                                 "from_code": region.code, "to_code": chosen[0]})
