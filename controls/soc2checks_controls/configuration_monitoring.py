"""Configuration monitoring: configuration changes are recorded.

Recording resource configuration over time is how changes and drift are detected
(CC7.1).
"""

from __future__ import annotations

from soc2checks import control

configuration_monitoring = control('configuration-monitoring', criteria=['CC7.1'])

# Checks for every provider sit side by side below, grouped by provider.
