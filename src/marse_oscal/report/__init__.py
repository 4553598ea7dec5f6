"""Human-readable reports of OSCAL documents."""
