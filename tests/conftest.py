"""Test configuration: a deterministic hypothesis profile, as in SciPy's conftest."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "deterministic",
    derandomize=True,
    max_examples=20,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("thorough", max_examples=300, deadline=None)
settings.load_profile(os.environ.get("GANTHEORY_HYPOTHESIS_PROFILE", "deterministic"))
