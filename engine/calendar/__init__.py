"""Calendar feeds (iCalendar) so owners can see bookings in the calendar apps they use."""
