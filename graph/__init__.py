"""The DovvyBuddy chat graph: state, nodes and wiring."""
