"""False confessions in US wrongful convictions: data pipeline and statistics.

One sub-package per stage, in the order data flows (``analysis.stages.STAGES``): ``formats`` (read any export),
``ingest`` (store snapshots), ``normalise`` (one canonical table), ``analyse`` (rates, tables, stats.json),
``compare`` (what changed between snapshots), ``charts`` (bundles), ``narrate`` (notebooks, report) and
``pipeline`` (incremental build). A stage imports only from the stages before it. See docs/architecture.md.
"""

__version__ = "0.1.0"
