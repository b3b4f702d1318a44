"""The rules of the complaint loop: lifecycle, due-date policy, validation, services, statistics."""
