"""Recommendations: the guest's usual, learned ranking of alternatives, and their record."""
