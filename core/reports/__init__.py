"""Reports: each query returns a Table of plain values (core.reports.table); renderers (core.reports.render)
turn a Table into xlsx, ods or docx and never touch the database. The catalogue is core.reports.registry."""
