"""Numbers that are compared on screen: enough decimals for the comparison to read true.

A similarity of 0.797 against a threshold of 0.80, both written with two decimals, reads "0.80 < 0.80".
:func:`comparison_places` gives the fewest decimals (from ``least`` to ``most``) at which the rounded values
keep the order of the real ones. A catalogue text can use it through a nested format spec:
``"best similarity {score:.{places}f} < {threshold:.{places}f}"`` with ``places=comparison_places(score, t)``.
"""

from __future__ import annotations


def comparison_places(value: float, limit: float, least: int = 2, most: int = 4) -> int:
    for places in range(least, most + 1):
        a, b = round(value, places), round(limit, places)
        if (a < b) == (value < limit) and (a == b) == (value == limit) and (a > b) == (value > limit):
            return places
    return most
