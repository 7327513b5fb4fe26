"""ictui: a keyboard-driven terminal cockpit for the Incident Controller."""

__version__ = "0.1.0"
