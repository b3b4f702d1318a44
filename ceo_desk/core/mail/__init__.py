"""Email: the outbox in the log, the office's templates, and the one sender that talks SMTP."""
