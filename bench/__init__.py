"""ictui's performance benchmark: ``python -m bench`` (see bench.run)."""
