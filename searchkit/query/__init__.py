"""Typed text to a query tree (``parse``), and its words to index terms (``terms``)."""
