"""notice-builder: one YAML privacy notice in, a checked multilingual static site out."""

__version__ = "0.1.0"
