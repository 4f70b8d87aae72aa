"""The library as visitors and staff use it: filters, search, visibility, uploads, downloads."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation

from atis.library import samples, services, views
from atis.library.models import Category, Document, DocumentFile, DocumentLanguage, DocumentStatus, FileKind, Visibility
from atis.library.tests.helpers import add_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def publisher(personas):  # type: ignore[no-untyped-def]
    return personas["coordinator"].user


@pytest.fixture
def shelf(publisher):  # type: ignore[no-untyped-def]
    """Five public documents, one internal, one draft and one withdrawn."""
    docs = {
        "annual": add_document(
            publisher,
            title_ro="Raportul anual 2022",
            text="Numărul victimelor minore a crescut. Violența fizică a fost frecventă.",
            category=Category.REPORTS,
            year=2022,
        ),
        "labour": add_document(
            publisher,
            title_ro="Studiu privind exploatarea prin muncă",
            text="Muncitorii recrutați pentru agricultură în străinătate au lucrat fără contract.",
            category=Category.STUDIES,
            year=2021,
            kind=FileKind.ODT,
        ),
        "law": add_document(
            publisher,
            title_ro="Legea 678/2001",
            text="Prevenirea și combaterea traficului de persoane.",
            category=Category.LEGISLATION,
            year=2001,
            kind=FileKind.PDF,
        ),
        "english": add_document(
            publisher,
            title_ro="",
            title_en="Annual report 2022 (English)",
            text="Violence against minors and debt bondage were reported.",
            category=Category.REPORTS,
            year=2022,
            language=DocumentLanguage.ENGLISH,
        ),
        "form": add_document(
            publisher,
            title_ro="Formular de notificare",
            text="Completați datele instituției care notifică.",
            category=Category.FORMS,
            year=2023,
            tags=("notificare",),
        ),
        "internal": add_document(
            publisher,
            title_ro="Notă internă privind violența în adăposturi",
            text="Violența semnalată în adăposturi, document intern.",
            visibility=Visibility.INTERNAL,
        ),
        "draft": add_document(
            publisher, title_ro="Raport violență (ciornă)", text="Violență în curs de redactare.", publish=False
        ),
    }
    withdrawn = add_document(publisher, title_ro="Raport retras despre violență", text="Violență retrasă.")
    docs["withdrawn"] = services.document_withdraw(actor=publisher, document=withdrawn)
    return docs


def _titles(client: Client, **params: str) -> set[str]:
    response = client.get(reverse("library:list"), params)
    assert response.status_code == 200
    return {result.document.title for result in response.context["page"].rows}


def test_the_list_shows_only_published_public_documents(shelf) -> None:  # type: ignore[no-untyped-def]
    assert _titles(Client()) == {
        "Raportul anual 2022",
        "Studiu privind exploatarea prin muncă",
        "Legea 678/2001",
        "Annual report 2022 (English)",
        "Formular de notificare",
    }


def test_filters_narrow_the_list_exactly(shelf) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert _titles(client, category="reports") == {"Raportul anual 2022", "Annual report 2022 (English)"}
    assert _titles(client, category="reports", language="en") == {"Annual report 2022 (English)"}
    assert _titles(client, year="2021") == {"Studiu privind exploatarea prin muncă"}
    assert _titles(client, category="forms", year="2022") == set()


def test_search_ignores_missing_diacritics_and_reads_the_files(shelf) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    # "violenta" is typed without diacritics; the text says "Violența"/"Violence" only in the files.
    assert _titles(client, q="violenta") == {"Raportul anual 2022"}
    assert _titles(client, q="strainatate agricultura") == {"Studiu privind exploatarea prin muncă"}
    assert _titles(client, q="traficului", category="legislation") == {"Legea 678/2001"}
    assert _titles(client, q="debt bondage") == {"Annual report 2022 (English)"}
    assert _titles(client, q="notificare") == {"Formular de notificare"}
    assert _titles(client, q="cuvantcarenuexista") == set()


def test_search_results_carry_a_snippet_with_the_match_marked(shelf) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("library:list"), {"q": "violenta"})
    html = response.content.decode()
    assert "<mark>Violența</mark>" in html


def test_search_ranks_a_title_match_first(publisher) -> None:  # type: ignore[no-untyped-def]
    add_document(
        publisher, title_ro="Ghid general", text="Un capitol despre cerșetoria din marile orașe, printre altele."
    )
    add_document(publisher, title_ro="Cerșetoria forțată a copiilor", text="Cerșetoria forțată afectează copiii.")
    response = Client().get(reverse("library:list"), {"q": "cersetoria", "sort": "relevance"})
    rows = [result.document.title for result in response.context["page"].rows]
    assert rows == ["Cerșetoria forțată a copiilor", "Ghid general"]


def test_htmx_gets_only_the_results_and_the_url_keeps_the_filters(shelf) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(
        reverse("library:list"), {"category": "forms"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="library-results"
    )
    html = response.content.decode()
    assert "Formular de notificare" in html
    assert "<form" not in html and "<html" not in html


def test_every_page_says_how_many_documents_match(shelf, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client = Client()
    for number, shown in ((1, 2), (2, 2), (3, 1)):
        page = client.get(reverse("library:list"), {"page": number}).context["page"]
        assert (len(page.rows), page.total, page.has_next) == (shown, 5, number < 3)
    assert client.get(reverse("library:list"), {"page": 4}).context["page"].rows == []
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    with translation.override("en"):
        response = client.get(reverse("library:list"), {"q": "2022"})
    assert (len(response.context["page"].rows), response.context["page"].total) == (1, 2)
    assert "2 documents" in response.content.decode()


def _years_offered(client: Client) -> list[int]:
    field = client.get(reverse("library:list")).context["form"].fields["year"]
    return [value for value, _label in field.choices if value]


def test_the_year_filter_offers_the_years_published_now(publisher, signed_in) -> None:  # type: ignore[no-untyped-def]
    visitor, staff = Client(), signed_in("operator")
    first = add_document(publisher, year=2019)
    assert _years_offered(visitor) == [2019]
    second = add_document(publisher, title_ro="Studiu 2015", year=2015)
    add_document(publisher, title_ro="Notă internă 2010", year=2010, visibility=Visibility.INTERNAL)
    assert _years_offered(visitor) == [2019, 2015]
    assert _years_offered(staff) == [2019, 2015, 2010]
    services.document_withdraw(actor=publisher, document=second)
    assert _years_offered(visitor) == [2019]
    data = services.DocumentData("Raport anual 2020", "", "", "", Category.REPORTS, 2020, "ro", Visibility.PUBLIC)
    services.document_update(actor=publisher, document=first, data=data)
    assert _years_offered(visitor) == [2020]
    assert _years_offered(staff) == [2020, 2010]


@pytest.mark.parametrize("key", ["internal", "draft", "withdrawn"])
def test_hidden_documents_never_reach_the_public(shelf, key) -> None:  # type: ignore[no-untyped-def]
    document = shelf[key]
    client = Client()
    assert document.title not in _titles(client, q="violenta")
    assert client.get(reverse("library:detail", kwargs={"public_id": document.public_id})).status_code == 404
    file_id = document.files.get().public_id
    assert client.get(reverse("library:download", kwargs={"public_id": file_id})).status_code == 404
    feed = client.get(reverse("library:feed")).content.decode()
    assert str(document.public_id) not in feed


def test_staff_read_internal_documents_but_not_drafts(shelf, signed_in) -> None:  # type: ignore[no-untyped-def]
    operator = signed_in("operator")
    titles = _titles(operator, q="violenta")
    assert titles == {"Raportul anual 2022", "Notă internă privind violența în adăposturi"}
    draft = shelf["draft"]
    assert operator.get(reverse("library:detail", kwargs={"public_id": draft.public_id})).status_code == 404
    # An NGO's staff are outside the agency: internal documents stay hidden from them.
    assert "Notă internă privind violența în adăposturi" not in _titles(signed_in("ngo"), q="violenta")


def test_the_publisher_previews_a_draft(shelf, signed_in) -> None:  # type: ignore[no-untyped-def]
    response = signed_in("coordinator").get(reverse("library:detail", kwargs={"public_id": shelf["draft"].public_id}))
    assert response.status_code == 200


def test_the_feed_lists_new_public_publications(shelf) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(reverse("library:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert str(shelf["annual"].public_id) in body
    assert body.count("<entry>") == 5


def test_a_download_is_an_attachment_that_cannot_run_and_is_counted(shelf) -> None:  # type: ignore[no-untyped-def]
    document_file = shelf["law"].files.get()
    response = Client().get(reverse("library:download", kwargs={"public_id": document_file.public_id}))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    document_file.refresh_from_db()
    assert document_file.download_count == 1


def _upload(client: Client, document: Document, name: str, content: bytes):  # type: ignore[no-untyped-def]
    # The English pages, so the messages read here are the source texts.
    with translation.override("en"):
        url = reverse("library:file_add", kwargs={"public_id": document.public_id})
    return client.post(
        url,
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_upload_refuses_a_renamed_executable(shelf, signed_in) -> None:  # type: ignore[no-untyped-def]
    document = shelf["draft"]
    executable = (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
        + b"\x00" * 200
        + b"This program cannot be run in DOS mode."
    )
    response = _upload(signed_in("coordinator"), document, "raport.pdf", executable)
    assert response.status_code == 200
    assert "Only PDF, DOCX and ODT documents are accepted" in response.content.decode()
    assert document.files.count() == 1


def test_upload_refuses_an_oversize_file(shelf, signed_in, settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATIS_ATTACHMENT_MAX_BYTES = 1024 * 1024
    document = shelf["draft"]
    big = samples.docx_bytes("Mare", ["x" * 10]) + b"\x00" * (2 * 1024 * 1024)
    response = _upload(signed_in("coordinator"), document, "mare.docx", big)
    assert "at most 1 MB are accepted" in response.content.decode()
    assert document.files.count() == 1


def test_upload_refuses_a_name_that_lies_about_the_type(publisher) -> None:  # type: ignore[no-untyped-def]
    document = add_document(publisher, publish=False)
    data = samples.odt_bytes("Titlu", ["Text"])
    with pytest.raises(ValidationError) as refused:
        services.document_file_add(
            actor=publisher, document=document, upload=io.BytesIO(data), name="x.pdf", size=len(data)
        )
    assert refused.value.error_dict["file"][0].code == "extension_mismatch"


def test_an_upload_gets_a_safe_name_and_its_text_extracted(
    publisher, signed_in, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    document = add_document(publisher, publish=False)
    data = samples.odt_bytes("Ghid", ["Semnele unei oferte de muncă înșelătoare."])
    with django_capture_on_commit_callbacks(execute=True):
        response = _upload(signed_in("coordinator"), document, "../../Ghid privind ofertele înșelătoare!.odt", data)
    assert response.status_code == 302
    stored = document.files.order_by("-id")[0]
    assert stored.name == "ghid-privind-ofertele-inselatoare.odt"
    assert ".." not in stored.file.name and "Ghid" not in stored.file.name
    assert stored.extraction == "done"
    assert "înșelătoare" in stored.extracted_text
    status = signed_in("coordinator").get(reverse("library:file_status", kwargs={"public_id": stored.public_id}))
    assert "text extracted" in status.content.decode() or "text extras" in status.content.decode()


def test_a_document_without_a_file_cannot_be_published(publisher) -> None:  # type: ignore[no-untyped-def]
    document = services.document_create(
        actor=publisher,
        data=services.DocumentData("Fără fișier", "", "", "", Category.GUIDES, 2024, "ro", Visibility.PUBLIC),
    )
    with pytest.raises(ValidationError) as refused:
        services.document_publish(actor=publisher, document=document)
    assert refused.value.code == "no_file"
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT


def test_only_publishers_may_change_the_library(shelf, personas) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.document_withdraw(actor=personas["operator"].user, document=shelf["annual"])


def test_a_new_document_is_created_from_the_form(signed_in) -> None:  # type: ignore[no-untyped-def]
    client = signed_in("coordinator")
    data = samples.docx_bytes("Ghid", ["Procedura de referire a minorilor."])
    response = client.post(
        reverse("library:create"),
        {
            "title_ro": "Procedura de referire",
            "category": "guides",
            "year": "2024",
            "language": "ro",
            "visibility": "public",
            "tags": "minori, referire",
            "file": SimpleUploadedFile("procedura.docx", data),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get(title_ro="Procedura de referire")
    assert document.status == DocumentStatus.DRAFT
    assert sorted(document.tags.values_list("name", flat=True)) == ["minori", "referire"]
    assert DocumentFile.objects.filter(document=document).count() == 1
