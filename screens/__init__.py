"""The screens of the Phase OS app: the dashboard, one per phase, and dialogs."""
