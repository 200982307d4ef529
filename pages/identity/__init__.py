"""Pages of identity: login, registration, recovery and the profile settings."""
