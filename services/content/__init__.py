"""The Information section: help, the user agreement and news in Markdown."""
