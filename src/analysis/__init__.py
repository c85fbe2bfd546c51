"""False confessions in US wrongful convictions: data pipeline and statistics.

Stages (one direction): ingest -> normalise -> analyse -> chart -> narrate.
See ``docs/`` and the README for the data flow and definitions.
"""

__version__ = "0.1.0"
