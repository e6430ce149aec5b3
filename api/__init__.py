"""The web contract (/api/...): what the web app and other channels call."""
