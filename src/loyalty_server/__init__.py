"""The reference loyalty server: the member app's backend contract, served for real."""

__version__ = "0.1.0"
