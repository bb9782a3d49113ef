"""newsbeam's Beam transforms (read, parse, boilerplate, dedup, classify, write) and their pure logic."""
