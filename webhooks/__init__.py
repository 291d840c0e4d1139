"""Provider webhooks: verify the signature, store the delivery once, enqueue, answer fast."""
