"""Demo history (``bookline seed --demo --history N``): months of past bookings with known answers.

``plan`` holds the plan's types, ``demand`` and ``lives`` decide what guests asked for and what
became of it, ``planner`` turns that into a plan that respects the claims rule, ``write`` stores
it through the engine's models and ``service`` is the idempotent entry point.
"""
