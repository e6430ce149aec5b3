"""Graph nodes: plain functions of (state, config), one concern per module."""
