"""Keeping the log safe: backups, checks, privacy, import and export."""
