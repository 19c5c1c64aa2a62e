"""clearance: sanctions and export-control screening against the official lists."""

from clearance.errors import ClearanceError
from clearance.model import Entity, EntityKind

__all__ = ["ClearanceError", "Entity", "EntityKind"]
__version__ = "0.1.0"
