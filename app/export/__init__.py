"""Pure builders: a roadmap dict (app/services/roadmap.py, event_roadmap.py) in, a document
out: no database, no request. The contract of the dict is docs/EXPORTS.md."""
