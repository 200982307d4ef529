"""The operator's console (SPEC O6, O8, O9): finding residents, acting on them, staff, registry, audit log."""
