"""A plain Python loop over the same read and parse functions, without Beam.

It is the floor of what Beam's orchestration may cost: ``benchmarks/run.py`` times it
beside real runs. It reads every file the inputs match and parses every page with
newsbeam's own functions; nothing is deduplicated, classified or written.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems

from newsbeam.pipeline.config.loader import load_config
from newsbeam.transforms.extraction.page import parse_page
from newsbeam.transforms.formats.dumps import DumpSummary, read_dump
from newsbeam.transforms.formats.files import expand_input, match_files
from newsbeam.transforms.model import Page

__all__ = ["run_plain_loop"]


def run_plain_loop(inputs: Sequence[str]) -> int:
    """Read and parse every page of ``inputs``; returns the number of pages read."""
    config = load_config()
    paths = [path for path, _ in match_files([expand_input(path) for path in inputs])]
    pages = 0
    for path in paths:
        summary = DumpSummary(path=path)
        with FileSystems.open(path, compression_type=CompressionTypes.UNCOMPRESSED) as stream:
            for item in read_dump(stream, path, summary, config.parse.max_page_bytes):
                if isinstance(item, Page):
                    parse_page(item, config.parse.min_words, config.parse.timeout_seconds)
        pages += summary.pages
    return pages


if __name__ == "__main__":
    # ``python plain_loop.py INPUTS.json``: the inputs are a JSON list of paths; prints {"pages": n}.
    with open(sys.argv[1], encoding="utf-8") as listing:
        print(json.dumps({"pages": run_plain_loop(json.load(listing))}))
