"""The English catalog keeps up with the Chinese message ids in the sources."""
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "directory" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
UPDATE_HINT = ("pybabel extract -F babel.cfg -o /tmp/messages.pot . && "
               "pybabel update -i /tmp/messages.pot -d directory/translations, then translate")


@pytest.fixture(scope="module")
def extracted() -> dict:
    """Message id → first place it is used, as ``pybabel extract -F babel.cfg`` finds them."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options_map):
        key = message[0] if isinstance(message, tuple) else message
        found.setdefault(key, f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalog():
    with CATALOG.open("rb") as handle:
        return read_po(handle, locale="en")


def test_sources_have_messages(extracted):
    assert "机构名录" in extracted and "国家级" in extracted and len(extracted) > 80


def test_every_message_has_an_english_translation(extracted, catalog):
    untranslated = []
    for msgid, where in extracted.items():
        message = catalog.get(msgid)
        strings = message.string if message and isinstance(message.string, tuple) else (
            (message.string,) if message else ("",))
        if not message or not all(strings) or message.fuzzy:
            untranslated.append(f"{where}: {msgid}")
    assert not untranslated, f"Missing English for {untranslated}; run {UPDATE_HINT}"


def test_catalog_holds_no_stale_messages(extracted, catalog):
    stale = [message.id for message in catalog if message.id and
             (message.id[0] if isinstance(message.id, tuple) else message.id) not in extracted]
    assert not stale, f"No longer used: {stale}; run {UPDATE_HINT}"


def test_placeholders_survive_translation(catalog):
    problems = [(message.id, [str(e) for e in errors]) for message, errors in catalog.check()]
    assert not problems


def test_compiled_catalog_is_current(catalog):
    compiled = CATALOG.with_suffix(".mo")
    assert compiled.exists(), "run: pybabel compile -d directory/translations (make does it)"
    with compiled.open("rb") as handle:
        mo = read_mo(handle)
    assert _as_dict(mo) == _as_dict(catalog), \
        "messages.mo is older than messages.po: run pybabel compile -d directory/translations"


def _as_dict(messages) -> dict:
    def frozen(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value
    return {frozen(m.id): frozen(m.string) for m in messages if m.id and not m.fuzzy}
