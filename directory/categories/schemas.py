"""How the categories API answers."""
from marshmallow import Schema, fields


class CategorySchema(Schema):
    code = fields.String()
    name = fields.Function(lambda category: category.name_zh, metadata={"description": "Chinese name"})
    name_zh = fields.String()
    name_en = fields.String()
    description_zh = fields.String()
    description_en = fields.String()
