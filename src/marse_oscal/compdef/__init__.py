"""Component definitions: what a provider (Azure, Azure Government, Intune) implements for MARS-E 2.0."""
