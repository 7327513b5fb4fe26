"""The Slack gateway: the only code that talks to Slack.

- :mod:`ictui.slack.outbox`: ``deliver_pending``, ``outbox_summary``, ``retry_failed``.
- :mod:`ictui.slack.sync`: ``sync_incident``, ``sync_active`` (pins and :pushpin: onto the timeline).
- :mod:`ictui.slack.escalation`: ``fetch_escalations``, ``import_escalation``.
- :mod:`ictui.slack.render`: ``check_update_text`` (refuse over-limit text before queueing).
- :mod:`ictui.slack.doctor`: ``run_doctor``.

Importing this package is cheap: ``slack_sdk`` loads only when something is sent.
"""
