"""Section classification: the cascade of signals, the taxonomy, the text model and labelled data."""
