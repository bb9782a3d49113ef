"""Running a run: runner and shuffle, the pipeline graph, the lock, the ledger, publishing, the manifest."""
