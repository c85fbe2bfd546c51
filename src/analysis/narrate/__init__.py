"""Narrate: what notebooks call (``session``), notebook execution and the HTML report."""
