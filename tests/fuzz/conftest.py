"""Hypothesis budgets for the fuzz tests.

`ci` (the default) is bounded and derandomised, so a run in CI is quick and a failure
there fails again the same way; `deep` (HYPOTHESIS_PROFILE=deep) is for long local
runs that hunt for new bugs and keep what they find in the example database.
"""

from __future__ import annotations

from hypothesis import HealthCheck, settings

_SLOW = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example]

settings.register_profile(
    "ci", max_examples=100, deadline=None, derandomize=True, database=None, suppress_health_check=_SLOW
)
settings.register_profile("deep", max_examples=2_000, deadline=None, suppress_health_check=_SLOW, print_blob=True)
