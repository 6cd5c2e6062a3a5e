"""Searching: the tree compiled to Whoosh queries and filters, BM25F ranking with proximity,
facets, suggestions, and the Searcher that ties them to one commit of the index."""
