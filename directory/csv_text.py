"""CSV files as people make them: UTF-8 or GB 18030 in, spreadsheet-safe cells out."""
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def decode_csv(data: bytes) -> str:
    """Text of a CSV file saved as UTF-8 (with or without BOM) or GB 18030 (Excel in China)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("The file is neither UTF-8 nor GB 18030 text.")


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (=, +, -, @, tab, CR first: a leading ')."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
