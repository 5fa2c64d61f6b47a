"""Studio folders, session identity and the one-line status."""
