"""Figures for owners: occupancy, covers, revenue, channels, funnel, timing and rates."""
