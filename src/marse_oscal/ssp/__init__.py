"""SSP authoring in git: the customer's inputs + the MARS-E profile + provider component definitions -> an SSP."""
