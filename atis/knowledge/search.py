"""The knowledge base's full-text index: written by the services, read by the selectors."""

from atis.lib import fulltext

SEARCH_INDEX = fulltext.SearchIndex("knowledge_search")
