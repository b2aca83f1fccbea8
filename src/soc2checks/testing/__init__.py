"""Test helpers for soc2checks and its plugin authors (fakes of provider APIs)."""
