"""Generator for the ecopark sample corpus (see samples/README.md)."""
