"""The checking layers after parsing: schema, trestle models, integrity, MARS-E rules."""
