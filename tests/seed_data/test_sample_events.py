"""Checks on the committed sample events, seed_data/events.json (read directly, no database)."""
import importlib.util
import json
import re
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta

import pytest
from seed_files import SEED_DIR

from directory.credit_code import credit_code_problem
from matching.financing import CHAINS, ENTERPRISE_SIZES, FINANCIER_TYPES, FINANCING_TYPES

EVENTS_JSON = SEED_DIR / "events.json"
GENERATOR = SEED_DIR / "generate_sample_events.py"
CATEGORIES = {"policy", "financing", "ip", "talent", "digitalization", "technology", "management", "legal",
              "market", "entrepreneurship"}
EVENT_STATUSES = {"draft", "open", "closed", "completed", "cancelled"}
REGISTRATION_STATUSES = {  # event status -> registration statuses it may hold
    "completed": {"accepted", "declined"}, "closed": {"accepted", "declined", "pending"},
    "open": {"accepted", "pending"}, "draft": set(), "cancelled": set()}
TYPES_BY_FINANCIER = {"bank": {"credit_loan", "secured_loan", "ip_pledge", "supply_chain"},
                      "guarantee": {"guarantee"}, "fund": {"equity"}, "leasing": {"leasing"},
                      "insurance": {"insurance"}, "other": {"credit_loan", "supply_chain"}}
EVENT_FIELDS = ["key", "title", "organizer_id", "starts_at", "ends_at", "venue", "online_url", "chains",
                "financing_types", "categories", "capacity", "registration_deadline", "status", "description",
                "slot_minutes", "sessions", "financiers", "registrations", "outcomes"]
FINANCIER_FIELDS = ["key", "name", "type", "financing_types", "amount_min_yuan", "amount_max_yuan", "industries",
                    "description", "website"]
REGISTRATION_FIELDS = ["enterprise_name", "credit_code", "region_code", "industry", "size", "contact_name",
                       "contact_phone", "contact_email", "financing_type", "amount_yuan", "need", "status",
                       "registered_at"]
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
SHANGHAI_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:00\+08:00$")


@pytest.fixture(scope="module")
def data():
    return json.loads(EVENTS_JSON.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def events(data):
    return data["events"]


@pytest.fixture(scope="module")
def anchor(data):
    return date.fromisoformat(data["anchor"])


@pytest.fixture(scope="module")
def financiers(data):
    return {f["key"]: f for f in data["financiers"]}


@pytest.fixture(scope="module")
def institutions_by_id(institutions):
    return {int(row["id"]): row for row in institutions}


def ancestors(divisions, code):
    """``code`` and the codes of the divisions above it."""
    chain = []
    while code:
        chain.append(code)
        code = divisions[code]["parent_code"]
    return chain


def registrations(events):
    return [(e, r) for e in events for r in e["registrations"]]


def test_shape_and_keys(data, events):
    assert list(data) == ["anchor", "financiers", "events"]
    assert data["anchor"] == "2026-11-22"
    assert [f["key"] for f in data["financiers"]] == [f"F{i:03d}" for i in range(1, len(data["financiers"]) + 1)]
    assert [e["key"] for e in events] == [f"E{i:03d}" for i in range(1, len(events) + 1)]
    for f in data["financiers"]:
        assert list(f) == FINANCIER_FIELDS, f["key"]
    for e in events:
        assert list(e) == EVENT_FIELDS, e["key"]
        for r in e["registrations"]:
            assert list(r) == REGISTRATION_FIELDS, e["key"]


def test_financiers(financiers):
    assert 100 <= len(financiers) <= 140
    assert len({f["name"] for f in financiers.values()}) == len(financiers)
    assert set(FINANCIER_TYPES) - {"other"} <= {f["type"] for f in financiers.values()}
    for f in financiers.values():
        assert f["type"] in FINANCIER_TYPES, f["name"]
        assert f["financing_types"] and set(f["financing_types"]) <= TYPES_BY_FINANCIER[f["type"]], f["name"]
        assert f["industries"] and set(f["industries"]) <= set(CHAINS), f["name"]
        assert 0 < f["amount_min_yuan"] <= f["amount_max_yuan"], f["name"]
        assert f["website"] is None or f["website"].startswith("https://"), f["name"]
        assert 0 < len(f["name"]) <= 200 and 0 < len(f["description"]) <= 2000, f["name"]


def test_organisers_are_active_and_offer_financing(events, institutions_by_id, divisions):
    for e in events:
        organiser = institutions_by_id.get(e["organizer_id"])
        assert organiser is not None, e["key"]
        assert organiser["status"] == "active", e["key"]
        assert "financing" in organiser["services"].split(";"), e["key"]
        place = divisions[organiser["region_code"]]["name"] if organiser["region_code"] else "全国"
        assert place in e["title"], (e["key"], e["title"])


def test_vocabulary(events):
    for e in events:
        assert e["status"] in EVENT_STATUSES, e["key"]
        assert set(e["chains"]) <= set(CHAINS) - {"other"}, e["key"]
        assert e["financing_types"] and set(e["financing_types"]) <= set(FINANCING_TYPES), e["key"]
        assert "financing" in e["categories"] and set(e["categories"]) <= CATEGORIES, e["key"]
        assert 4 <= len(e["title"]) <= 200 and len(e["description"]) <= 5000, e["key"]
        for r in e["registrations"]:
            assert r["industry"] in CHAINS and r["size"] in ENTERPRISE_SIZES, e["key"]
            assert r["financing_type"] in e["financing_types"], e["key"]
    assert len({e["title"] for e in events}) == len(events)


def test_dates_are_consistent(events, anchor):
    for e in events:
        times = [e["starts_at"], e["ends_at"], e["registration_deadline"]]
        times += [t for s in e["sessions"] for t in (s["starts_at"], s["ends_at"])]
        assert all(SHANGHAI_TIME.match(t) for t in times), e["key"]
        starts, ends = datetime.fromisoformat(e["starts_at"]), datetime.fromisoformat(e["ends_at"])
        deadline = datetime.fromisoformat(e["registration_deadline"])
        assert deadline < starts < ends <= starts + timedelta(days=2), e["key"]
        assert abs((starts.date() - anchor).days) <= 365, e["key"]
        assert 8 <= starts.hour and ends.hour <= 18, e["key"]
        sessions = [(datetime.fromisoformat(s["starts_at"]), datetime.fromisoformat(s["ends_at"]))
                    for s in e["sessions"]]
        assert sessions == sorted(sessions), e["key"]
        for (s_start, s_end), later in zip(sessions, sessions[1:] + [(ends, ends)]):
            assert starts <= s_start and s_start + timedelta(minutes=e["slot_minutes"]) <= s_end <= later[0], e["key"]
        assert e["venue"] or e["online_url"], e["key"]


def test_status_follows_the_calendar(events, anchor):
    today = datetime.combine(anchor, datetime.min.time()).isoformat()
    for e in events:
        if e["status"] == "completed":
            assert e["ends_at"] < today, e["key"]
        elif e["status"] in ("open", "draft", "closed"):
            assert e["starts_at"] > today, e["key"]
        if e["status"] == "open":
            assert e["registration_deadline"][:10] > anchor.isoformat(), e["key"]
            seats = sum(r["status"] != "declined" for r in e["registrations"])
            assert seats < e["capacity"], e["key"]
        if e["status"] == "closed":
            seats = sum(r["status"] != "declined" for r in e["registrations"])
            assert e["registration_deadline"][:10] < anchor.isoformat() or seats == e["capacity"], e["key"]


def test_registrations_fit_their_event(events, anchor):
    for e in events:
        rows = e["registrations"]
        assert len(rows) <= e["capacity"], e["key"]
        if e["status"] in ("draft", "cancelled"):
            assert rows == [], e["key"]
        else:
            assert 10 <= len(rows) <= 120, e["key"]
        assert {r["status"] for r in rows} <= REGISTRATION_STATUSES[e["status"]], e["key"]
        for r in rows:
            assert r["registered_at"] <= e["registration_deadline"], e["key"]
            assert r["registered_at"][:10] < anchor.isoformat(), e["key"]
        assert [r["registered_at"] for r in rows] == sorted(r["registered_at"] for r in rows), e["key"]


def test_credit_codes_are_valid_and_unique_per_event(events):
    for e in events:
        codes = [r["credit_code"] for r in e["registrations"]]
        assert len(codes) == len(set(codes)), e["key"]
        for r in e["registrations"]:
            assert credit_code_problem(r["credit_code"]) is None, r["credit_code"]
            assert r["credit_code"][:2] == "91" and r["credit_code"][2:8] == r["region_code"], r["credit_code"]


def test_enterprises_keep_their_identity_across_events(events):
    seen, counts = {}, Counter()
    names = defaultdict(set)
    for _, r in registrations(events):
        identity = (r["enterprise_name"], r["region_code"], r["industry"], r["size"])
        assert seen.setdefault(r["credit_code"], identity) == identity, r["credit_code"]
        names[r["enterprise_name"]].add(r["credit_code"])
        counts[r["credit_code"]] += 1
    assert all(len(codes) == 1 for codes in names.values())
    assert sum(n > 1 for n in counts.values()) >= 3, "a few enterprises register for several events"


def test_registrations_lie_inside_the_organisers_division(events, institutions_by_id, divisions):
    for e, r in registrations(events):
        organiser_region = institutions_by_id[e["organizer_id"]]["region_code"]
        assert r["region_code"] in divisions, r["region_code"]
        if organiser_region:
            assert organiser_region in ancestors(divisions, r["region_code"]), (e["key"], r["region_code"])


def test_registration_fields(events):
    for _, r in registrations(events):
        assert MOBILE.match(r["contact_phone"]), r["contact_phone"]
        assert r["contact_email"] is None or re.match(r"^[a-z0-9.]+@example\.(com|net|org)$", r["contact_email"])
        assert 100_000 <= r["amount_yuan"] <= 50_000_000, r["enterprise_name"]
        assert 2 <= len(r["need"]) <= 2000 and 0 < len(r["contact_name"]) <= 50
        assert len(r["enterprise_name"]) <= 200 and r["enterprise_name"].endswith("公司")


def test_event_financiers(events, financiers):
    for e in events:
        keys = [f["financier"] for f in e["financiers"]]
        assert 4 <= len(keys) <= 15 and len(keys) == len(set(keys)), e["key"]
        assert set(keys) <= set(financiers), e["key"]
        assert all(6 <= f["capacity"] <= 16 for f in e["financiers"]), e["key"]
        offered = {t for key in keys for t in financiers[key]["financing_types"]}
        assert set(e["financing_types"]) <= offered, e["key"]


def test_outcomes(events, financiers):
    accepted = with_outcome = 0
    for e in events:
        if e["status"] != "completed":
            assert e["outcomes"] == [], e["key"]
            continue
        taking_part = {f["financier"] for f in e["financiers"]}
        indexes = [o["registration"] for o in e["outcomes"]]
        assert len(indexes) == len(set(indexes)), e["key"]
        for o in e["outcomes"]:
            registration = e["registrations"][o["registration"]]
            assert registration["status"] == "accepted", e["key"]
            assert o["financier"] in taking_part, e["key"]
            assert registration["financing_type"] in financiers[o["financier"]]["financing_types"], e["key"]
            assert o["result"] in ("intention", "signed"), e["key"]
            if o["result"] == "signed" or o["amount_yuan"] is not None:
                assert 0 < o["amount_yuan"] <= registration["amount_yuan"], e["key"]
        accepted += sum(r["status"] == "accepted" for r in e["registrations"])
        with_outcome += len(indexes)
    assert 0.3 <= with_outcome / accepted <= 0.5


def test_spread(events, institutions_by_id, anchor):
    organisers = [institutions_by_id[e["organizer_id"]] for e in events]
    assert len(events) >= 90
    assert {o["level"] for o in organisers} == {"national", "provincial", "municipal", "county"}
    assert len({o["region_code"][:2] for o in organisers if o["region_code"]}) >= 20
    past = sum(e["starts_at"][:10] < anchor.isoformat() for e in events)
    assert 0.5 <= past / len(events) <= 0.6
    soon = (anchor + timedelta(days=90)).isoformat()
    assert sum(anchor.isoformat() < e["starts_at"][:10] <= soon for e in events) >= 20
    statuses = Counter(e["status"] for e in events)
    assert statuses["completed"] >= 40 and statuses["open"] >= 20
    assert statuses["draft"] and statuses["closed"] and statuses["cancelled"]


def test_generator_is_reproducible(tmp_path):
    spec = importlib.util.spec_from_file_location("generate_sample_events", GENERATOR)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    out = tmp_path / "events.json"
    generator.write(out)
    assert out.read_bytes() == EVENTS_JSON.read_bytes()
