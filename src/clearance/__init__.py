"""clearance: sanctions and export-control screening against the official lists."""

from clearance.app import Clearance
from clearance.errors import ClearanceError
from clearance.matching import Party
from clearance.model import Entity, EntityKind
from clearance.settings import Settings

__all__ = ["Clearance", "ClearanceError", "Entity", "EntityKind", "Party", "Settings"]
__version__ = "0.1.0"
