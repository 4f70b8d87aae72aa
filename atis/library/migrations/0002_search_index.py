"""The library's full-text index: a tsvector table with a GIN index on PostgreSQL, an FTS5
table on SQLite (see atis.lib.fulltext)."""

from django.db import migrations

from atis.lib import fulltext

DOCUMENTS = fulltext.SearchIndex("library_search")


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [*fulltext.create_index_operations(DOCUMENTS)]
