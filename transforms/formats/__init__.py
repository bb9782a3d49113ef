"""Files in and out: finding input files, reading dumps, byte ranges, checksums, the output layout."""
