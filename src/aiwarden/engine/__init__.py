"""The scan engine: discovery, classification, execution, suppressions, baselines, config."""
