"""The REST API (issue 14): see core/api/api.py, docs/api.md and docs/adr/0006-rest-api.md."""
