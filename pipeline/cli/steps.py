"""``newsbeam steps``: the built-in steps and the installed user steps, with parameters and docs."""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from newsbeam.pipeline.cli.common import EXIT_OK, EXIT_USAGE

__all__ = ["main"]


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="newsbeam steps",
        description="List the built-in steps and the steps installed under the entry-point group "
        "newsbeam.transforms, with their parameters and one-line docs.",
    )
    try:
        parser.parse_args(list(argv))
    except SystemExit as exit_:
        return EXIT_USAGE if exit_.code else EXIT_OK
    import yaml

    from newsbeam.pipeline.config.loader import packaged_config_path
    from newsbeam.pipeline.registry.catalog import format_catalog

    defaults = yaml.safe_load(packaged_config_path().read_text(encoding="utf-8")) or {}
    print(format_catalog(defaults))
    return EXIT_OK
