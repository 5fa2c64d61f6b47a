"""Phases: the phase file, switching, payloads, exit rules and telemetry."""
