"""``aiwarden assess``: the guideline scorecard from scan findings, evidence and attestations."""
