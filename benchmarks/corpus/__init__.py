"""Labelled corpus of malicious and benign model files for the scanner benchmark."""
