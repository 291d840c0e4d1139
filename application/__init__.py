"""Use cases over one unit of work and one guest messenger (see README, Architecture)."""
