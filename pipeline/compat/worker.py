"""Beam plugin for the DirectRunner's worker processes: applies :mod:`.fnapi`'s worker-side fix there.

``multi_processing`` workers are fresh Python processes; Beam imports the modules named in the
pipeline's ``--beam_plugins`` when one starts, before it serves any bundle.
"""

from __future__ import annotations

from newsbeam.pipeline.compat.fnapi import release_finished_output_streams

release_finished_output_streams()
