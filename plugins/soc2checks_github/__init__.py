"""soc2checks github provider plugin."""
