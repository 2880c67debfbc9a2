"""The cascading region selects of the pages (province, prefecture, county): the chosen path and each select's options."""
import re

from sqlmodel import Session

from directory.regions.models import Region
from directory.regions.service import child_regions, region_path

REGION_SELECTS = 3  # province, prefecture, county
REGION_CODE = re.compile(r"^\d{6}$")


def chosen_region_path(session: Session, values: list[str], ignored: list) -> list[Region]:
    """The path down to the deepest division chosen in the cascading region selects.

    The selects send province, prefecture and county in that order. A later value wins only
    when it lies below the earlier choice, so a deeper select left stale after the province
    was changed without JavaScript does not override the new province.
    """
    path: list[Region] = []
    for value in (v.strip() for v in values):
        if not value:
            continue
        candidate = region_path(session, value) if REGION_CODE.match(value) else []
        if not candidate:
            ignored.append(("region_code", value))
        elif not path or path[-1].code in {r.code for r in candidate}:
            path = candidate
    return path


def region_selects(session: Session, path: list[Region]) -> list[tuple[list[Region], str | None]]:
    """Options and chosen code of each region select: provinces, then each choice's children."""
    options = [child_regions(session, None)] + [child_regions(session, r.code) for r in path[:2]]
    options += [[]] * (REGION_SELECTS - len(options))
    return [(choices, path[i].code if i < len(path) else None) for i, choices in enumerate(options)]
