"""Dependency analysis: manifest parsing and the ``dependencies`` analyzer (AIW-SCA)."""
