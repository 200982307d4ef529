"""Meter data read back: periods and tariff zones, pricing, roll-ups, series, charts, tables, exports, events."""
