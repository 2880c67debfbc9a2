"""The floor for the HTTP benchmark: a bare Flask app answering the ten categories as JSON.

No database, no extensions, no hooks: the categories are read from ``seed_data/categories.csv``
once at import and every ``GET /api/v1/categories`` answers them with ``jsonify``, in the same
shape as the real route. Served by the same gunicorn settings (``gunicorn.conf.py``) as the app,
it shows what Flask and gunicorn alone cost per request on this machine
(``gunicorn -w 2 bench.bare_app:app``).
"""
from flask import Flask, jsonify

from directory.reference_data import CATEGORIES_CSV, read_csv

CATEGORIES = [{"code": row["code"], "name": row["name_zh"], "name_zh": row["name_zh"], "name_en": row["name_en"],
               "description_zh": row["description_zh"], "description_en": row["description_en"]}
              for row in read_csv(CATEGORIES_CSV)]

app = Flask(__name__)
app.json.ensure_ascii = False
app.json.sort_keys = False


@app.get("/api/v1/categories")
def categories():
    """The ten categories, as the real route sends them."""
    return jsonify(CATEGORIES)
