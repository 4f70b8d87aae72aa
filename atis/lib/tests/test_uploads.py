"""Every upload goes through one pipeline (atis.lib.uploads): library documents and strategy
evidence lose their metadata like case attachments and campaign photos do."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from atis.cases import attachments
from atis.cases.tests.test_attachment_privacy import CAMERA, jpeg_with_location, pdf_with_author
from atis.lib import uploads
from atis.library import services as library_services
from atis.library.tests.helpers import add_document
from atis.strategy import services as strategy_services
from atis.strategy.tests.helpers import open_round, reported, strategy_in_force


@pytest.fixture(autouse=True)
def _private_files_in_a_temporary_directory(settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "private"


def test_the_pipeline_keeps_the_pixels_and_drops_the_tags() -> None:
    clean = uploads.clean(jpeg_with_location(), uploads.JPEG)
    with Image.open(io.BytesIO(clean.content)) as image:
        assert image.size == (64, 48) and not image.getexif() and "comment" not in image.info
    assert (clean.width, clean.height) == (64, 48) and CAMERA.encode() not in clean.content


def test_a_refused_type_says_so_on_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        uploads.accept(
            io.BytesIO(b"MZ\x90\x00" + b"\x00" * 300),
            size=304,
            allowed={uploads.PDF},
            max_bytes=1000,
            not_allowed="PDF only",
        )
    assert refused.value.error_dict["file"][0].code == "type_not_allowed"


@pytest.mark.django_db
def test_a_library_pdf_is_published_without_its_author(personas) -> None:  # type: ignore[no-untyped-def]
    publisher = personas["coordinator"].user
    document = add_document(publisher, publish=False)
    data = pdf_with_author()
    stored = library_services.document_file_add(
        actor=publisher, document=document, upload=io.BytesIO(data), name="raport.pdf", size=len(data)
    )
    with stored.file.open("rb") as handle:
        kept = handle.read()
    metadata = PdfReader(io.BytesIO(kept)).metadata
    assert not (metadata and metadata.get("/Author")) and b"Maria" not in kept
    assert stored.size == len(kept)


@pytest.mark.django_db
def test_strategy_evidence_loses_a_photos_location(personas) -> None:  # type: ignore[no-untyped-def]
    coordinator, reporter = personas["coordinator"].user, personas["reporter"].user
    round_ = open_round(coordinator, strategy_in_force(coordinator))
    report = reported(reporter, round_, "1.1.1", "in_progress", value=3, submit=False)
    evidence = strategy_services.evidence_add(
        actor=reporter, report=report, upload=SimpleUploadedFile("poza.jpg", jpeg_with_location())
    )
    kept = attachments.path_of(evidence.storage_name).read_bytes()
    with Image.open(io.BytesIO(kept)) as image:
        assert not image.getexif() and "comment" not in image.info
    assert CAMERA.encode() not in kept and evidence.size == len(kept)
