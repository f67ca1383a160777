"""Governance documents an AI project keeps: disclosure policy, cards, plans (AIW-GOV)."""
