"""The test suite is a package (as is every folder in it) so that pytest's default import mode
puts the repository root on sys.path: helpers are imported as ``tests.support.<module>``, and
test modules with the same file name in different folders cannot collide."""
