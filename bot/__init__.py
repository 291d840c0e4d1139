"""The conversation layer: inbound messages in, channel-neutral replies out, via the engine."""
