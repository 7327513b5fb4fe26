"""Paging a team's on-call: the gateway to paging providers (PagerDuty now).

base.py is the seam (what a provider must do); pagerduty.py the provider built and
tested; delivery.py sends the outbox's paging items and reads acknowledgements.
"""
