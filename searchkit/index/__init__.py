"""The index on disk: its schema, articles as documents, the store and its lock, building it."""
