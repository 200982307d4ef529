"""What a resident sees of their own: ownership checks, accounts and meters, the main page, badges, diagnostics."""
