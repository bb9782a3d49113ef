"""What stages need from where they run: the shuffle strategy, progress, stage clocks, fault points."""
