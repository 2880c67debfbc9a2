"""Matching SMEs' needs to providers: a pure-Python library with no Flask import."""
