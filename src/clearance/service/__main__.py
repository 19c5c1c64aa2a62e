"""python -m clearance.service docs/openapi.json: write out the service's OpenAPI schema."""

import sys
from pathlib import Path

from clearance.service.app import write_openapi

write_openapi(Path(sys.argv[1]))
