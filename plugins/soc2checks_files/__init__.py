"""soc2checks files provider plugin."""
