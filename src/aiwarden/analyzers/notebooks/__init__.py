"""Jupyter notebook analysis: code cells, saved outputs, metadata and installs.

Notebooks are parsed as JSON with explicit bounds and never executed or rendered; see
:class:`~.analyzer.NotebookAnalyzer`.
"""
