"""The resident's sections: main page, Subscriber, Readings, Diagnostics and Information."""
