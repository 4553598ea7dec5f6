"""marse-oscal: CMS MARS-E 2.0 as OSCAL, and checks of System Security Plans against it."""

__version__ = "0.1.0"
