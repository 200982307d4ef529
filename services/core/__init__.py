"""The running system: settings, clock, database, translations and domain errors."""
