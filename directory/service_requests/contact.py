"""Contact details an SME gives: mainland phone numbers and the need text as compared for duplicates."""
import re
import unicodedata

MOBILE = re.compile(r"^1[3-9]\d{9}$")
_SEPARATORS = re.compile(r"[\s\-()（）]+")
_EXTENSION = re.compile(r"(转|ext\.?|x|#)", re.IGNORECASE)
PHONE_PROBLEM = ("Not a valid mainland phone number: a mobile number (13812345678) or a landline with its "
                 "area code (0512-65012345).")


def normalise_phone(raw: str) -> str | None:
    """The number in one canonical form (``13812345678``, ``0512-65012345``, ``010-12345678-801``), or None."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    number, _sep, extension = _EXTENSION.sub("|", text).partition("|")
    digits = _SEPARATORS.sub("", number)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    if not digits.isdigit():
        return None
    if MOBILE.match(digits):
        return digits if not extension else None
    area = 3 if digits.startswith(("01", "02")) else 4
    if not digits.startswith("0") or len(digits) - area not in (7, 8):   # area code, then 7–8 digits
        return None
    extension = _SEPARATORS.sub("", extension)
    if extension and not (extension.isdigit() and len(extension) <= 6):
        return None
    return f"{digits[:area]}-{digits[area:]}" + (f"-{extension}" if extension else "")


def need_key(need: str) -> str:
    """The need as compared for duplicates: width-folded, white space removed, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", need)).lower()
