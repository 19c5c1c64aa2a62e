"""The HTTP service: every screening over HTTP, with a yente-compatible `/match`.

clearance serve --workers 2
"""

from clearance.service.app import create_app

__all__ = ["create_app"]
