"""Bringing a test database to one migration, to write rows as an older HQ left them."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection

from fieldkit.hq.storage import MIGRATIONS


def upgrade_to(conn: Connection, revision: str) -> None:
    """Run HQ's migrations on `conn` up to `revision` (e.g. "0006")."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, revision)
