"""The registry's credit line and the terms of its export: one place for the words every output repeats.

The National Registry of Exonerations hands out its spreadsheet for "educational, advocacy, research, and media
purposes" on conditions that users must see (:data:`TERMS`). :data:`CREDIT` is the credit in the registry's
preferred form; outputs built from the synthetic demo export carry :data:`SYNTHETIC_CREDIT` instead, which says the
numbers are not registry data. The README ("Using registry data"), the report's footer, every state fact sheet and
every chart bundle's ``meta.json`` (``credit``) take their words from here.
"""

from __future__ import annotations

__all__ = ["CREDIT", "PERMITTED_USES", "PUBLICATION_NOTE", "SYNTHETIC_CREDIT", "TERMS", "credit_line"]

CREDIT = ("Source: National Registry of Exonerations, a project of the Newkirk Center for Science & Society at "
          "University of California Irvine, the University of Michigan Law School and Michigan State University "
          "College of Law")
"""The registry's preferred credit line."""

SYNTHETIC_CREDIT = ("Source: synthetic demo data (confessions demo) — invented records, not National Registry of "
                    "Exonerations data")
"""The credit of outputs built from the synthetic demo export: not registry data, so no registry credit."""

PERMITTED_USES = "educational, advocacy, research, and media purposes"
"""What the registry grants its export for, in its words."""

TERMS: tuple[str, ...] = (
    "credit and cite the National Registry of Exonerations",
    "represent the data accurately",
    "report suspected errors to the Registry",
    "do not post the exported spreadsheet, or any portion of it, publicly",
    "do not build a site that duplicates the Registry",
    "do not submit the Registry's data to AI or machine-learning programs",
)
"""The conditions the registry attaches to its export, one a line."""

PUBLICATION_NOTE = ("These pages are working material for articles and research, holding aggregates only; "
                    "publishing them as a standing website that tracks exonerations is what the Registry's terms "
                    "forbid.")
"""What the report and fact sheets are (and are not) for."""


def credit_line(synthetic: bool = False) -> str:
    """:data:`CREDIT`, or :data:`SYNTHETIC_CREDIT` for outputs of the synthetic demo export."""
    return SYNTHETIC_CREDIT if synthetic else CREDIT
