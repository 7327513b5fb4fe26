"""Settings, kept out of the UI: a TOML file, overridden by the environment.

The Slack token is read here and handed to the Slack gateway only; it is never written
to the database, logs or exports, and ``Settings.__repr__`` hides it.
"""

from __future__ import annotations

import getpass
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from ictui.domain.enums import Severity
from ictui.domain.errors import InvalidInput
from ictui.domain.lifecycle import DEFAULT_CADENCE_MINUTES
from ictui.domain.paging import check_url
from ictui.domain.policy import Policy

APP_NAME = "ictui"
DEFAULT_SLACK_API_URL = "https://slack.com/api/"
DEFAULT_PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com"
DEFAULT_PAGERDUTY_API_URL = "https://api.pagerduty.com"


# platformdirs and tomllib are imported where they are needed: every import made before
# the cockpit's first frame delays it, and with --db, $ICTUI_CONFIG or no config file,
# neither is.


def config_path() -> Path:
    if env := os.environ.get("ICTUI_CONFIG"):
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_db_path() -> Path:
    if env := os.environ.get("ICTUI_DB"):
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME)) / "ictui.db"


@dataclass(frozen=True)
class Settings:
    user: str
    broadcast_channel: str = "#rnd"
    escalation_channel: str = "#engineering-support"
    channel_prefix: str = "incident"
    slack_api_url: str = DEFAULT_SLACK_API_URL
    slack_token: str = field(default="", repr=False)
    # The app-level token (xapp-…) for Slack's events over Socket Mode; without it, polling.
    slack_app_token: str = field(default="", repr=False)
    policy: Policy = field(default_factory=Policy)
    # Paging (ictui.paging): each team's integration key is in the database; the REST
    # token, when given, lets the cockpit show who acknowledged a page.
    pagerduty_events_url: str = DEFAULT_PAGERDUTY_EVENTS_URL
    pagerduty_api_url: str = DEFAULT_PAGERDUTY_API_URL
    pagerduty_api_token: str = field(default="", repr=False)
    path: Path | None = None
    warnings: tuple[str, ...] = ()

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_token)

    def public_values(self) -> dict[str, object]:
        """What ``ictui config`` prints: the values in force, the token masked."""
        token = self.slack_token
        return {
            "config_file": str(self.path) if self.path else "",
            "user": self.user,
            "broadcast_channel": self.broadcast_channel,
            "escalation_channel": self.escalation_channel,
            "channel_prefix": self.channel_prefix,
            "slack_api_url": self.slack_api_url,
            "slack_token": f"{token[:5]}…(set)"
            if token
            else "(not set: offline, updates wait in the outbox)",
            "slack_app_token": f"{self.slack_app_token[:5]}…(set)"
            if self.slack_app_token
            else "(not set: Slack is polled every 30 s, no live events)",
            "pagerduty_events_url": self.pagerduty_events_url,
            "pagerduty_api_token": "(set)"
            if self.pagerduty_api_token
            else "(not set: pages are sent, acknowledgements not shown)",
            "cadence_minutes": {str(k): v for k, v in self.policy.cadence_minutes.items()},
            "postmortem_business_days": self.policy.postmortem_business_days,
        }


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    data: dict = {}
    warnings: list[str] = []
    if path.exists():
        import tomllib

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"the config file {path} is not valid TOML: {exc}") from exc
        except OSError as exc:
            raise InvalidInput(f"cannot read the config file {path}: {exc.strerror}") from exc
        mode = path.stat().st_mode
        if mode & (stat.S_IRGRP | stat.S_IROTH) and (
            {"token", "app_token"} & set(data.get("slack", {})) or "api_token" in data.get("pagerduty", {})
        ):
            warnings.append(f"{path} holds the Slack token and is readable by others; run: chmod 600 {path}")
    slack = data.get("slack", {})
    pagerduty = data.get("pagerduty", {})
    env = _utf8_environment()
    cadence = dict(DEFAULT_CADENCE_MINUTES)
    for key, value in data.get("cadence_minutes", {}).items():
        try:
            severity = Severity(key.upper())
        except ValueError as exc:
            raise InvalidInput(f"{path}: unknown severity {key!r} in [cadence_minutes]") from exc
        cadence[severity] = int(value) if value else None
    policy = Policy(
        cadence_minutes=cadence,
        postmortem_business_days=int(data.get("postmortem", {}).get("business_days", 3)),
    )
    return Settings(
        user=env.get("ICTUI_USER") or data.get("user", {}).get("name") or _login_name(),
        broadcast_channel=env.get("ICTUI_BROADCAST_CHANNEL") or slack.get("broadcast_channel", "#rnd"),
        escalation_channel=env.get("ICTUI_ESCALATION_CHANNEL")
        or slack.get("escalation_channel", "#engineering-support"),
        channel_prefix=env.get("ICTUI_CHANNEL_PREFIX") or slack.get("channel_prefix", "incident"),
        slack_api_url=env.get("SLACK_API_URL") or slack.get("api_url", DEFAULT_SLACK_API_URL),
        slack_token=env.get("SLACK_BOT_TOKEN") or slack.get("token", ""),
        slack_app_token=env.get("SLACK_APP_TOKEN") or slack.get("app_token", ""),
        policy=policy,
        pagerduty_events_url=check_url(
            env.get("PAGERDUTY_EVENTS_URL") or pagerduty.get("events_url", DEFAULT_PAGERDUTY_EVENTS_URL),
            "PAGERDUTY_EVENTS_URL",
        ),
        pagerduty_api_url=check_url(
            env.get("PAGERDUTY_API_URL") or pagerduty.get("api_url", DEFAULT_PAGERDUTY_API_URL),
            "PAGERDUTY_API_URL",
        ),
        pagerduty_api_token=env.get("PAGERDUTY_API_TOKEN") or pagerduty.get("api_token", ""),
        path=path,
        warnings=tuple(warnings),
    )


def _utf8_environment() -> dict[str, str]:
    """ictui's variables, refused in one line if one holds bytes that are not UTF-8 (Python
    keeps them as lone surrogates, which no database or Slack message can take)."""
    names = (
        "ICTUI_USER",
        "ICTUI_BROADCAST_CHANNEL",
        "ICTUI_ESCALATION_CHANNEL",
        "ICTUI_CHANNEL_PREFIX",
        "SLACK_API_URL",
        "SLACK_BOT_TOKEN",
        "SLACK_APP_TOKEN",
        "PAGERDUTY_EVENTS_URL",
        "PAGERDUTY_API_URL",
        "PAGERDUTY_API_TOKEN",
    )
    env = {name: os.environ[name] for name in names if name in os.environ}
    for name, value in env.items():
        if any("\udc80" <= c <= "\udcff" for c in value):
            raise InvalidInput(f"the environment variable {name} is not UTF-8 text; set it again in UTF-8")
    return env


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in some containers (no passwd entry)
        return "ic"
