"""The demo company: about 80 people in R&D, the teams that own the product's parts, and
where its Slack is (made up: the demo never reaches a real workspace)."""

from __future__ import annotations

from ictui.domain.enums import Role

ESCALATION_CHANNEL_ID = "C02ENGSUPPORT"
BROADCAST_CHANNEL_ID = "C02RND00001"
SLACK_WORKSPACE = "https://example.slack.com"

# Team, the components it owns, its Slack handle. The navigation bar and the file viewer
# are shared UI parts: a problem there has more than one possible owner. "performance"
# is both the app's and the infrastructure's.
TEAMS: list[tuple[str, list[str], str]] = [
    (
        "Close Checklist",
        ["close checklist", "sign-offs", "close dashboard", "navigation bar"],
        "@close-checklist",
    ),
    ("Reconciliations", ["reconciliations", "matching engine", "export", "file viewer"], "@recs"),
    (
        "Web Platform",
        ["app shell", "navigation bar", "file viewer", "login page", "performance"],
        "@web-platform",
    ),
    ("DevOps", ["infrastructure", "performance", "database", "load balancers", "email delivery"], "@devops"),
    ("Integrations", ["bank feeds", "ERP sync", "public API"], "@integrations"),
    ("QE", ["test automation", "release validation"], "@qe"),
    ("Security", ["authentication", "SSO", "permissions"], "@security"),
    ("Product Support", [], "@support"),
]

# Name, email, roles, team, Slack user id.
PEOPLE: list[tuple[str, str, list[Role], str, str]] = [
    ("Marcus Chen", "marcus.chen@example.com", [Role.EM], "Close Checklist", "U02MCHEN01"),
    ("Aisha Patel", "aisha.patel@example.com", [Role.PM], "Close Checklist", "U02APATEL1"),
    ("Tom Becker", "tom.becker@example.com", [Role.TECH_LEAD], "Close Checklist", "U02TBECKR1"),
    ("Sofia Alvarez", "sofia.alvarez@example.com", [Role.EM], "Reconciliations", "U02SALVRZ1"),
    ("Kenji Watanabe", "kenji.watanabe@example.com", [Role.TECH_LEAD], "Reconciliations", "U02KWATNB1"),
    ("Dana Kim", "dana.kim@example.com", [Role.TECH_LEAD], "Web Platform", "U02DKIM001"),
    ("Ravi Singh", "ravi.singh@example.com", [Role.ENGINEER], "Web Platform", "U02RSINGH1"),
    ("Sam O'Connor", "sam.oconnor@example.com", [Role.DEVOPS, Role.TECH_LEAD], "DevOps", "U02SOCONN1"),
    ("Lena Novak", "lena.novak@example.com", [Role.DEVOPS], "DevOps", "U02LNOVAK1"),
    ("Jamal Hughes", "jamal.hughes@example.com", [Role.EM], "Integrations", "U02JHUGHS1"),
    ("Chloe Martin", "chloe.martin@example.com", [Role.PM], "Integrations", "U02CMARTN1"),
    ("Luis Fernandez", "luis.fernandez@example.com", [Role.ENGINEER], "Integrations", "U02LFERNZ1"),
    ("Nina Kowalski", "nina.kowalski@example.com", [Role.QE], "QE", "U02NKOWAL1"),
    ("Omar Haddad", "omar.haddad@example.com", [Role.SECURITY], "Security", "U02OHADDD1"),
    ("Priya Raman", "priya.raman@example.com", [Role.SUPPORT], "Product Support", "U02PRAMAN1"),
    ("Ben Carter", "ben.carter@example.com", [Role.SUPPORT], "Product Support", "U02BCARTR1"),
]

EMAIL = {name: email for name, email, *_ in PEOPLE}
