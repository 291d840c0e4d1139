"""The waitlist: guests who asked for something that was full get first call when it frees up."""
