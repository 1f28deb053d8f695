"""Reviewed mapping of every source's names to canonical entities."""

from armatlas.entities.register import Entity, EntityRegister, load_register

__all__ = ["Entity", "EntityRegister", "load_register"]
