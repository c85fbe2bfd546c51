"""Analyse: named definitions → rates with intervals, tables, stats.json, the 32% reconciliation, IP matching."""
