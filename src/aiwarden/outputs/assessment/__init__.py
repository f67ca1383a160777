"""Renderers of the guideline scorecard (``aiwarden assess``): text, JSON, Markdown, HTML."""
