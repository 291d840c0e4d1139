"""Feedback: after the visit the guest is asked how it went, once; a score 1-5 and a comment."""
