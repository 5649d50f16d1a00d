"""Domain rules. Plain arguments in, models out, DomainError on refusal.

Services never commit: they work in the current database session and flush; the caller
(app/commands.py, a view or the CLI) owns the transaction.
"""
