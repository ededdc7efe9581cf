"""PDF reports rendered with reportlab from data that services hand over."""

from __future__ import annotations

from fieldkit.reports.model import Report


def render(report: Report) -> bytes:
    """The PDF bytes of `report` (the renderer is being written; see docs/decisions)."""
    raise NotImplementedError(type(report).__name__)
