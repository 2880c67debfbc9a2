"""What the token API reads and answers."""
from marshmallow import Schema, fields


class CredentialsSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class TokenSchema(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer(metadata={"description": "Seconds until the token expires"})


class IssuedTokenSchema(Schema):
    """A token as listed: who holds it, when it was issued, expires or was revoked; never its value."""

    id = fields.Integer()
    administrator = fields.String(metadata={"description": "Username of the holder"})
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


class LoggedOutSchema(Schema):
    revoked_tokens = fields.Integer(metadata={"description": "How many tokens stopped working, this one included"})
