"""Hostile and broken inputs (issue 6): every case ends in a one-line error, a warning or a neutralised value,
never in lost data or executed content. Each module lists its cases in ``CASES`` (counted in docs/reliability.md).
"""
