"""Configuration: the YAML settings (:mod:`.loader`, :mod:`.settings`), run options, dated runs."""
