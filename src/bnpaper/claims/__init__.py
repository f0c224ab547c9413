"""The claims registry: every claim of the paper and of this book, re-derived on demand
(``python -m bnpaper verify`` and the claims chapter). ``registry`` says what a claim is and
which modules derive them; one module per chapter derives its claims from inputs it is
given; ``table`` prints them."""

from bnpaper.claims.registry import CLAIM_MODULES, Claim, Evidence, all_claims, derive
from bnpaper.claims.table import COLUMNS, markdown_table, rows, summary_line, text_table

__all__ = ["CLAIM_MODULES", "COLUMNS", "Claim", "Evidence", "all_claims", "derive",
           "markdown_table", "rows", "summary_line", "text_table"]
