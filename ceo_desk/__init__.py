"""CEO Desk: every complaint that reaches the chief executive, resolved and confirmed."""

__version__ = "0.1.0"
