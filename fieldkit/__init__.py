"""FieldKit: an offline-first, encrypted field kit for USMCA labor attachés."""

from __future__ import annotations

__version__ = "0.1.0"
