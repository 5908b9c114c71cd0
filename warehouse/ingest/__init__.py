"""Anonymizing ingest: program data in through the data contract's templates.

``ingest(engine, uploads, secret, options)`` reads CSV and XLSX files, checks every
rule of their template (vectorized, with polars), pseudonymizes source ids, and loads
each file in one transaction; ``manage.py ingest`` and the upload page both call it.

Modules: ``templates`` (the contract's columns), ``read``/``xlsx``/``sheet`` (files to
text, DROP and unknown columns discarded), ``parse`` (column rules), ``rules`` and
``stages`` (rules across columns, rows and cases), ``check`` (one sheet), ``load``
(writing, ``ingest_batches``), ``report`` and ``run`` (the whole upload).
"""

from warehouse.ingest.report import FileReport, RunReport
from warehouse.ingest.rules import RULES
from warehouse.ingest.run import DEMO_REFUSAL, Options, Upload, ingest, record_cancelled
from warehouse.ingest.templates import TEMPLATES

__all__ = ["DEMO_REFUSAL", "RULES", "TEMPLATES", "FileReport", "Options", "RunReport", "Upload",
           "ingest", "record_cancelled"]
