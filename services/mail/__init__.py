"""Email: the outbox written with its cause, sent by a job, and the templates."""
