"""The bridge to the document library (atis.library): an agreement's documents, as the library
shows them. The library's own scoping decides which document a user may open, so an internal
protocol text never reaches someone the library would refuse it to."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from atis.cooperation.models import Agreement
from atis.library.models import Document
from atis.library.selectors import documents_visible_to


def documents_visible_for_agreement(user: Any, agreement: Agreement) -> QuerySet[Document]:
    return documents_visible_to(user).filter(agreements=agreement).order_by("-year", "title_ro")


def documents_linkable_by(user: Any) -> QuerySet[Document]:
    """Documents a user may attach: those the library lets them see, internal ones first."""
    return documents_visible_to(user).order_by("-visibility", "-year", "title_ro")
