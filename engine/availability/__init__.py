"""Availability search: what a venue can still sell for a stay or a seating."""
