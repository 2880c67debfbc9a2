"""Operating the service's database: copy it to PostgreSQL, back it up, restore it."""
