"""`python -m phase_tui`: the same as the `phase-os` command."""

from phase_tui.entry import main

main()
