"""Qt item models over row snapshots."""
