"""The loyalty member app: client core (plain Python) and Flet screens."""

__version__ = "0.1.0"
