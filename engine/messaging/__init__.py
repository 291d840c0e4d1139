"""Messages in and out: inbound events (dedupe and ordering), the outbox, opt-outs, transcripts."""
