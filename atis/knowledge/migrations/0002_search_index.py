"""The full-text index of published article texts (see atis.lib.fulltext): on PostgreSQL the
unaccent extension, the atis_* text search configurations and a table with a GIN index; on
SQLite an FTS5 table that ignores diacritics."""

from django.db import migrations

from atis.lib import fulltext


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]

    operations = [*fulltext.create_index_operations(fulltext.SearchIndex("knowledge_search"))]
