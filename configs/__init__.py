"""newsbeam's packaged configuration: ``default.yaml`` (every setting) and ``sections.yaml`` (taxonomy)."""
