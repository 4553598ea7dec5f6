"""The MARS-E 2.0 profile: built from human-readable sources, resolved, inspected and verified."""
