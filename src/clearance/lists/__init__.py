"""Official sanctions and export-control lists: one module per source, one registry."""
