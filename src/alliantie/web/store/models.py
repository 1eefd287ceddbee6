"""The tables of the workshop store (SQLAlchemy 2 typed ORM)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from shapely.geometry.base import BaseGeometry
from sqlalchemy import JSON, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from alliantie.web.store.geometry import GeometryColumn


def new_id() -> str:
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


synthesis_sketch = Table(
    "synthesis_sketch",
    Base.metadata,
    Column("synthesis_id", String(32), ForeignKey("synthesis.id", ondelete="CASCADE"), primary_key=True),
    Column("sketch_id", String(32), ForeignKey("sketch.id", ondelete="CASCADE"), primary_key=True),
)


class Workshop(Base):
    __tablename__ = "workshop"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    title: Mapped[str] = mapped_column(String(200))
    join_code: Mapped[str] = mapped_column(String(32), unique=True)
    language: Mapped[str] = mapped_column(String(2), default="nl")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    participants: Mapped[list[Participant]] = relationship(back_populates="workshop", order_by="Participant.joined_at")
    syntheses: Mapped[list[Synthesis]] = relationship(back_populates="workshop", order_by="Synthesis.created_at")


class Participant(Base):
    __tablename__ = "participant"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    discipline: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    workshop: Mapped[Workshop] = relationship(back_populates="participants")


class Sketch(Base):
    __tablename__ = "sketch"
    __table_args__ = (Index("ix_sketch_workshop_live", "workshop_id", "deleted_at"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"))
    author_id: Mapped[str] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    geometry: Mapped[BaseGeometry] = mapped_column(GeometryColumn())
    measure: Mapped[str] = mapped_column(String(64))
    level: Mapped[str] = mapped_column(String(20))
    comment: Mapped[str] = mapped_column(Text, default="")
    width_m: Mapped[float | None] = mapped_column(Float, nullable=True)
    count: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    author: Mapped[Participant] = relationship()


class Synthesis(Base):
    __tablename__ = "synthesis"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)

    workshop: Mapped[Workshop] = relationship(back_populates="syntheses")
    sketches: Mapped[list[Sketch]] = relationship(secondary=synthesis_sketch, order_by="Sketch.created_at")


class Move(Base):
    """One change of the workshop (the negotiation log): who did what to which object, when, before and after."""

    __tablename__ = "move"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workshop_id: Mapped[str] = mapped_column(ForeignKey("workshop.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[str] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))  # create | update | delete | undo | join | synthesis
    target_kind: Mapped[str] = mapped_column(String(20))  # sketch | synthesis | participant
    target_id: Mapped[str] = mapped_column(String(32))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    undone: Mapped[bool] = mapped_column(Boolean, default=False)

    participant: Mapped[Participant] = relationship()
