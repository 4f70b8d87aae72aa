"""Background work of the library: reading the text out of uploaded files."""

from __future__ import annotations

from celery import shared_task

from atis.library import services


@shared_task(ignore_result=True)
def extract_file_text(file_id: int) -> None:
    services.file_extract_text(file_id=file_id)
