"""The demo vault's organizations: the offices and partners a visit is held at when it is not
at a workplace. The government bodies are real institutions; the rest are fictional."""

from __future__ import annotations

from fieldkit.domain.choices import MexicanState as St
from fieldkit.domain.choices import OrganizationType as O

# name, type, acronym, state, municipality
OrganizationRow = tuple[str, O, str, St, str]
ORGANIZATIONS: dict[str, OrganizationRow] = {
    "conciliation_ags": ("Centro de Conciliación Laboral del Estado de Aguascalientes",
                         O.CONCILIATION_CENTER, "CCLEA", St.AGU, "Aguascalientes"),
    "cfcrl": ("Centro Federal de Conciliación y Registro Laboral", O.CFCRL, "CFCRL", St.CMX,
              "Benito Juárez"),
    "stps": ("Secretaría del Trabajo y Previsión Social", O.STPS, "STPS", St.CMX,
             "Benito Juárez"),
    "grantee_justice": ("Red Laboral por la Justicia, A.C. (proyecto de conciliación)",
                        O.GRANTEE, "", St.JAL, "Guadalajara"),
}  # fmt: skip
