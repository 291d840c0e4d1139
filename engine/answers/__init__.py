"""What a venue tells guests who ask: structured facts and the owner's questions and answers."""
