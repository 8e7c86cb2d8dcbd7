"""The notice before enforcement (varsel om tvangsfullbyrdelse): how long the debtor has
after it before the creditor may request enforcement (tvangsfullbyrdelsesloven § 4-18)."""

from __future__ import annotations

# § 4-18 (1): a særlig tvangsgrunnlag "kan begjæres tvangsfullbyrdet to uker etter at
# saksøkeren har sendt skriftlig varsel til saksøkte"; the notice is sent at the earliest on
# the due date (Lovavdelingen, "Kombinasjon av betalingsoppfordring/varsel etter
# tvangsfullbyrdelsesloven § 4-18", regjeringen.no).
ENFORCEMENT_NOTICE_DAYS = 14
SOURCE = "tvangsfullbyrdelsesloven § 4-18 (1)"
