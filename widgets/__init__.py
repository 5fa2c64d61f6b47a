"""Reusable widgets of the Phase OS app; each knows only the data it is given."""
