"""Python source analysis: AST rules for AI-specific flaws, never importing or running the code.

:mod:`.context` parses a module once and answers the questions every rule asks (what
does this name refer to after imports and simple assignments, is this argument a
literal ``True``); rule modules (``rules_*.py``) implement :class:`.checker.Checker`
and yield :class:`.issue.CodeIssue` objects; :mod:`.python_source` runs them all over
``.py`` files, and the notebook analyzer runs them over code cells.
"""
