"""The review page: a browser front end to the case workflow, served by `clearance serve` under `/review`.

Server-rendered HTML (Jinja2 templates, one small CSS file, plain forms, no script), so it needs no
front-end build and works from the keyboard and with a screen reader. It translates only: every action
is a call to `clearance.cases.workflow.Workflow`, which checks the rules and writes the audit record.
People log in as users of the case database (`clearance users add`); see docs/review.md.
"""

from __future__ import annotations

from clearance.web.review import install

__all__ = ["install"]
