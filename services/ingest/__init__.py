"""Meter-data pipeline: whole-file imports, roll-up maintenance, the inbox, the import log and data health."""

from services.ingest.pipeline import SOURCES, FileReport, import_files

__all__ = ['SOURCES', 'FileReport', 'import_files']
