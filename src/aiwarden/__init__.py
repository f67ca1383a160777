"""aiwarden: a security toolkit for AI systems.

aiwarden finds defects in AI projects (unsafe model files, risky code, leaked keys,
exposed infrastructure, missing governance documents) without ever executing what it
scans, and maps every finding to the NCSC/CISA *Guidelines for Secure AI System
Development*.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
