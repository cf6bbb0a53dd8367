"""What the member app, the kiosk and the reference server must agree on, and nothing else.

Pure Python with no I/O: the rotating card token (RFC 6238) and its format (`card`), the scan
parser, member-number check digits, purchase-amount parsing and the registry of problem types.
The committed contract, `openapi.json`, sits beside this package's code as data.
"""
