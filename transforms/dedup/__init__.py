"""Deduplication logic: exact and same-URL passes, MinHash and LSH, clusters, and the cross-run state."""
