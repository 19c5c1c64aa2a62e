"""A register of the subjects (customers) a bank screens, and their re-screening after a list update."""

from clearance.register.database import LoadReport, Register, read_subjects
from clearance.register.rescreen import ListChange, Rescreen, RescreenReport, list_change

__all__ = ["ListChange", "LoadReport", "Register", "Rescreen", "RescreenReport", "list_change", "read_subjects"]
