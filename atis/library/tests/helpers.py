"""Building library scenes in tests through the real services, as staff would."""

from __future__ import annotations

import io
from typing import Any

from atis.library import samples, services
from atis.library.models import Category, Document, DocumentLanguage, FileKind, Visibility


def add_document(
    publisher: Any,
    *,
    title_ro: str = "Raport anual 2022",
    title_en: str = "",
    text: str = "Traficul de persoane rămâne o formă gravă de violență.",
    category: str = Category.REPORTS,
    year: int = 2022,
    language: str = DocumentLanguage.ROMANIAN,
    visibility: str = Visibility.PUBLIC,
    kind: str = FileKind.DOCX,
    tags: tuple[str, ...] = (),
    publish: bool = True,
) -> Document:
    document = services.document_create(
        actor=publisher,
        data=services.DocumentData(
            title_ro=title_ro,
            title_en=title_en,
            description_ro="",
            description_en="",
            category=category,
            year=year,
            language=language,
            visibility=visibility,
            tags=tags,
        ),
    )
    data = samples.file_bytes(kind, title_ro or title_en, [text])
    services.document_file_add(
        actor=publisher,
        document=document,
        upload=io.BytesIO(data),
        name=f"file.{kind}",
        size=len(data),
        extract_now=True,
    )
    if publish:
        document = services.document_publish(actor=publisher, document=document)
    return document
