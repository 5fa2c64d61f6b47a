"""Phase OS: a terminal studio companion for music producers.

The package holds the pure domain code (no Textual import) plus `app.py`, the Textual
composition root. Importing this package is cheap: nothing heavy happens at import time.
"""

__version__ = "0.1.0"
