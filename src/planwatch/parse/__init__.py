"""Parse stage: reading bytes, document facts, the number grammar, statements and tables."""
