"""Printed documents (reportlab): the monthly summary for the board and the CEO's call brief."""
