"""Snippets: the passages of a hit that hold the query's words, with those words marked."""

from searchkit.highlight.snippets import Snippet, make_snippet

__all__ = ["Snippet", "make_snippet"]
