"""Risk assessment: a current risk register with an owner and a treatment for every risk.

The risk register is the evidence of identifying, analysing and responding to risks
(CC3.1 to CC3.4).
"""

from __future__ import annotations

from soc2checks import control

risk_assessment = control('risk-assessment', criteria=['CC3.1', 'CC3.2', 'CC3.3', 'CC3.4'])

# Checks for every provider sit side by side below, grouped by provider.
