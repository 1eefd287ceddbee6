"""The first schema: workshops, participants, sketches, syntheses and the log of moves.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from alliantie.web.store.geometry import GeometryColumn

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def _when(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.create_table(
        "workshop",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("join_code", sa.String(32), nullable=False, unique=True),
        sa.Column("language", sa.String(2), nullable=False),
        _when("created_at"),
    )
    op.create_table(
        "participant",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("organisation", sa.String(200), nullable=False),
        sa.Column("discipline", sa.String(20), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        _when("joined_at"),
    )
    op.create_index("ix_participant_workshop_id", "participant", ["workshop_id"])
    op.create_table(
        "sketch",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
        sa.Column("author_id", sa.String(32), sa.ForeignKey("participant.id", ondelete="CASCADE"), nullable=False),
        sa.Column("geometry", GeometryColumn(), nullable=False),
        sa.Column("measure", sa.String(64), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("width_m", sa.Float(), nullable=True),
        sa.Column("count", sa.Float(), nullable=True),
        _when("created_at"),
        _when("updated_at"),
        _when("deleted_at", nullable=True),
    )
    op.create_index("ix_sketch_workshop_live", "sketch", ["workshop_id", "deleted_at"])
    if postgresql:
        op.create_index("ix_sketch_geometry", "sketch", ["geometry"], postgresql_using="gist")
    op.create_table(
        "synthesis",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        _when("created_at"),
    )
    op.create_index("ix_synthesis_workshop_id", "synthesis", ["workshop_id"])
    op.create_table(
        "synthesis_sketch",
        sa.Column("synthesis_id", sa.String(32), sa.ForeignKey("synthesis.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("sketch_id", sa.String(32), sa.ForeignKey("sketch.id", ondelete="CASCADE"), primary_key=True),
    )
    op.create_table(
        "move",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("workshop_id", sa.String(32), sa.ForeignKey("workshop.id", ondelete="CASCADE"), nullable=False),
        sa.Column("participant_id", sa.String(32), sa.ForeignKey("participant.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("target_kind", sa.String(20), nullable=False),
        sa.Column("target_id", sa.String(32), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        _when("at"),
        sa.Column("undone", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_move_workshop_id", "move", ["workshop_id"])


def downgrade() -> None:
    for table in ("move", "synthesis_sketch", "synthesis", "sketch", "participant", "workshop"):
        op.drop_table(table)
