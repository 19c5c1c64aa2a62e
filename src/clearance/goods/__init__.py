"""Goods and shipment screening: export bans, the Common High Priority List, diversion risk."""
