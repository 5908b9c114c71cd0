"""Alembic environment: runs against the connection handed over by warehouse.migrate."""

from alembic import context

from warehouse.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # `alembic` CLI use, e.g. autogenerate during development
    from warehouse.config import load_settings
    from warehouse.engine import get_engine

    connection = get_engine(config.get_main_option("sqlalchemy.url") or load_settings().warehouse_url).connect()

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies the table
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
