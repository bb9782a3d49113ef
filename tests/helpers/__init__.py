"""Shared helpers of newsbeam's tests: builders of realistic inputs, in-process CLI runs, fixtures' plumbing.

Importable as ``helpers.<module>`` because ``pyproject.toml`` puts ``tests/`` on the test path.
"""
