"""Deployment and infrastructure analyzer (``AIW-IAC``): containers, manifests, serving configs."""
