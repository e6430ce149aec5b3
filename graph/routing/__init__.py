"""Deciding what a turn is: the emergency gate (rules) and the topic router (embeddings)."""
