"""Extraction from HTML: clean the tree, find the body, read the metadata (:func:`.extract.extract_html`)."""
