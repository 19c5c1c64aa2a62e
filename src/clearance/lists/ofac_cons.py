"""OFAC's Consolidated Sanctions List (non-SDN lists): the legacy CSV set, or the advanced XML."""

from __future__ import annotations

from clearance.lists.ofac_csv import CONS_SET, ofac_source

TITLE = "US Treasury OFAC Consolidated Sanctions List (non-SDN)"
HOMEPAGE = "https://ofac.treasury.gov/consolidated-sanctions-list-non-sdn-lists"

SOURCE = ofac_source(CONS_SET, TITLE, HOMEPAGE)
parse = SOURCE.parser
