"""What a venue sells: room types, rooms and rates; tables, opening hours and closures."""
