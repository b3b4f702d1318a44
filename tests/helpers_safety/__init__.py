"""Child-process scripts for the crash and disk-full tests (data comes from tests/builders.py)."""
