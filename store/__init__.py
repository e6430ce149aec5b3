"""Postgres access: the embedded server, the connection pool, migrations and the vector index."""
