"""The bibliography labelled as the book cites: ``[Santurkar et al., 2018]``, not ``[STIM18]``.

With ``bibtex_reference_style: author_year`` sphinxcontrib-bibtex writes a citation as
``Santurkar et al. [2018]`` or ``[Ioffe and Szegedy, 2015]``, but labels the list of
references with pybtex's default ``alpha`` labels (``[IS15]``; ``[STIMkadry18]`` from the
TeX of Mądry's name). This extension registers a pybtex formatting style, ``bnpaper``
(``bibtex_default_style`` in ``_config.yml``): pybtex's ``unsrt`` entries (which link an
``eprint``, ``doi`` or ``url`` field), sorted by author, year and title, with labels
written as the parenthetical citation is: the last names of one or two authors joined by
"and", of three or more the first one's and "et al.", then a comma and the year (and a
letter, should two entries ever share a label).
"""

from __future__ import annotations

import string
from collections import Counter
from typing import Any

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle

STYLE = "bnpaper"
LABELS = "bnpaper_author_year"


def last_name(person: Any) -> str:
    """The printed last name (von part included), TeX accents decoded: ``Mądry``."""
    parts = person.rich_prelast_names + person.rich_last_names
    return str(Text(" ").join(parts).render_as("text"))


def author_year(entry: Any) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    names = [last_name(p) for p in persons]
    if len(names) >= 3:
        who = f"{names[0]} et al."
    elif names:
        who = " and ".join(names)
    else:
        who = str(entry.fields.get("title", entry.key))
    return f"{who}, {entry.fields.get('year', 'n.d.')}"


class AuthorYearLabels(BaseLabelStyle):
    """``Author, year``, ``Author and Other, year`` or ``Author et al., year``."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year(e) for e in entries]
        counts, seen = Counter(labels), Counter()
        for label in labels:
            if counts[label] > 1:
                seen[label] += 1
                label = f"{label}{string.ascii_lowercase[seen[label] - 1]}"
            yield label


class AuthorYearStyle(UnsrtStyle):
    default_label_style = LABELS
    default_sorting_style = "author_year_title"


pybtex.plugin.register_plugin("pybtex.style.labels", LABELS, AuthorYearLabels)
pybtex.plugin.register_plugin("pybtex.style.formatting", STYLE, AuthorYearStyle)


def setup(app: Any) -> dict:
    return {"parallel_read_safe": True, "parallel_write_safe": True}
