"""The rotating member card: TOTP, the token format and the scan parser."""
