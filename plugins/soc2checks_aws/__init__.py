"""soc2checks aws provider plugin."""
