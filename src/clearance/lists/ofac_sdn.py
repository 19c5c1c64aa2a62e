"""OFAC's Specially Designated Nationals (SDN) list: the legacy CSV set, or the advanced XML."""

from __future__ import annotations

from clearance.lists.ofac_csv import SDN_SET, ofac_source

TITLE = "US Treasury OFAC Specially Designated Nationals and Blocked Persons List (SDN)"
HOMEPAGE = "https://ofac.treasury.gov/specially-designated-nationals-and-blocked-persons-list-sdn-human-readable-lists"

SOURCE = ofac_source(SDN_SET, TITLE, HOMEPAGE)
parse = SOURCE.parser
