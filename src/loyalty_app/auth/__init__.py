"""Signing in and keeping its secrets (tokens, card secret) safe on the device."""
