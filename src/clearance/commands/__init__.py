"""CLI commands that live beside their domain, each module adding its commands with `register(app)`."""
