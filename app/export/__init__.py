"""Pure builders: a summary dict (app/services/summary.py) in, a document out."""
