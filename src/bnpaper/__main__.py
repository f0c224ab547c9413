"""Command line: ``python -m bnpaper verify`` re-derives every claim and prints the table.

``--module bnpaper.claims.relu`` (repeatable) re-derives only that module's claims. Exits 0 if every
claim is confirmed, 1 if any fails (naming it), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys

from bnpaper import claims as claims_module


def verify(markdown: bool = False, modules: tuple[str, ...] | None = None) -> int:
    """Derive every claim afresh (or those of ``modules``), print the table, return the exit
    status."""
    return report(claims_module.all_claims(modules), markdown)


def report(claims: list[claims_module.Claim], markdown: bool = False) -> int:
    """Print the table of ``claims``, each failed one on stderr, and the summary line; return
    the exit status (0 if every claim holds, 1 otherwise)."""
    table = claims_module.markdown_table if markdown else claims_module.text_table
    print(table(claims))
    print()
    failed = [c for c in claims if not c.holds]
    for c in failed:
        broken = ", ".join(part for part, ok in c.checks.items() if not ok)
        print(f"FAILED {c.key}: {c.statement} (paper: {c.paper_value}; "
              f"reproduced: {c.reproduced}; method: {c.method}; failed: {broken})",
              file=sys.stderr)
    print(claims_module.summary_line(claims))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``python -m bnpaper`` and of the ``bnpaper`` script."""
    parser = argparse.ArgumentParser(prog="python -m bnpaper",
                                     description="Re-derive the claims of the paper and the book.")
    sub = parser.add_subparsers(dest="command", required=True)
    v = sub.add_parser("verify", help="re-derive every claim, print the table, exit 1 on failure")
    v.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    v.add_argument("--module", action="append", metavar="MODULE",
                   choices=claims_module.CLAIM_MODULES,
                   help="only this module's claims (repeatable), e.g. bnpaper.claims.relu")
    args = parser.parse_args(argv)
    if args.command == "verify":
        return verify(markdown=args.markdown,
                      modules=None if args.module is None else tuple(args.module))
    return 2  # unreachable: argparse rejects unknown commands


if __name__ == "__main__":
    sys.exit(main())
