"""Turning one page into an article: decoding, HTML and text-dump extraction, metadata, dateline, language."""
