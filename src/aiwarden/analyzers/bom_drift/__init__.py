"""Drift between a committed CycloneDX ML-BOM and the model files beside it."""
