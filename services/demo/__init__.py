"""The demo utility: registry, two years of realistic meter data, events, users and content."""
