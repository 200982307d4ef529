"""Who is who: registration, login, sessions, passwords, recovery, profile, staff and the audit log."""
