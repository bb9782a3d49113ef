"""newsbeam's driver side: command line, options, configuration, pipeline assembly, publishing."""
