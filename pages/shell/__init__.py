"""What every page stands in: the page context, the frame with the menu, security headers and redirects."""
