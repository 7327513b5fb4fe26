"""The cockpit: Textual app, screens, widgets and their .tcss styles.

Nothing here talks SQL or HTTP: screens call the store and the Slack gateway in thread
workers (see :mod:`ictui.tui.calls`) and draw the read models they return.
"""
