"""Businesses (tenants) and their venues, with the policies that govern bookings."""
