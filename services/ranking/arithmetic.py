"""The exact arithmetic under the ranking rules: sums, rounding, median, spread and the scale.

Exact (Fraction) wherever rounding could move a place or a medal; values are rounded only
where the rules say (docs/rules.md): totals to 2 decimals, scale scores to whole points, both
half away from zero.

Standings are recomputed for every mark that reaches the screens, so the hot spots work on
the Fractions' integers (one common denominator per sum, rounding by integer division) rather
than building a Fraction or a Decimal context per step; the results are the same, exactly.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

CENT = Decimal("0.01")
WHOLE = Decimal(1)
# Below this, an integer numerator and denominator round exactly as the 50-digit Decimal
# division did (see `rounded`); beyond it, the Decimal path is kept.
_EXACT_LIMIT = 10**18


# Cached: the same few maximum marks and rule values come back for every competitor, every
# recomputation; a Fraction is immutable, so sharing one is safe. `typed` keeps 1 and True
# apart from 1.0.
@functools.lru_cache(maxsize=4096, typed=True)
def exact(value: float) -> Fraction:
    """The decimal a person typed (2.3), not the binary float nearest to it."""
    return Fraction(Decimal(repr(value)))


def exact_sum(marks: Iterable[Fraction]) -> Fraction:
    """The exact sum, kept as one integer numerator over a common denominator and made a
    Fraction once, rather than a Fraction (and its gcd) per addition. Marks mostly share a
    denominator (hundredths), so the common one rarely changes."""
    numerator, denominator = 0, 1
    for mark in marks:
        top, bottom = mark.as_integer_ratio()
        if bottom != denominator:
            common = math.lcm(denominator, bottom)
            numerator *= common // denominator
            top *= common // bottom
            denominator = common
        numerator += top
    return Fraction(numerator, denominator)


def rounded(value: Fraction, step: Decimal = CENT) -> Decimal:
    """Half away from zero (ROUND_HALF_UP on Decimal is exactly that).

    Done in integers, with the step's exponent, so `Decimal("1.50")` keeps its two places
    and a negative value that rounds to zero stays `-0.00`, as Decimal's quantize gives.
    """
    exponent = step.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) else -1  # not finite: left to Decimal
    numerator, denominator = value.numerator, value.denominator
    if not 0 <= places <= 8 or abs(numerator) >= _EXACT_LIMIT or denominator >= _EXACT_LIMIT:
        return _rounded_by_decimal(value, step)
    # |value| * 10**places + 1/2, floored: the nearest whole step, halves away from zero.
    steps = (2 * abs(numerator) * 10**places + denominator) // (2 * denominator)
    sign = "-" if numerator < 0 else ""
    return Decimal(f"{sign}{steps}E-{places}")


def _rounded_by_decimal(value: Fraction, step: Decimal) -> Decimal:
    """The rule as Decimal states it (a 50-digit division, then quantize), for what `rounded`
    does not do in integers: a step above 1 or below 1e-8, or a numerator or denominator of
    18 digits or more. Within those bounds the two agree exactly: a value off a half step is
    at least 1 / (2 * denominator) steps away from it, far more than the division's 50th
    digit can move it, and a value on a half step has few enough digits to divide exactly."""
    with localcontext() as ctx:
        ctx.prec = 50
        exact_decimal = Decimal(value.numerator) / Decimal(value.denominator)
        return exact_decimal.quantize(step, rounding=ROUND_HALF_UP)


def median(values: Sequence[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def population_variance(values: Sequence[Fraction]) -> Fraction:
    """Population variance, in integers until the one Fraction: over a common denominator d,
    with n values a_i / d summing to s / d, it is sum((n * a_i - s) ** 2) / (n**3 * d**2)."""
    count = len(values)
    denominator = math.lcm(*(value.denominator for value in values))
    scaled = [value.numerator * (denominator // value.denominator) for value in values]
    total = sum(scaled)
    squares = sum((count * value - total) ** 2 for value in scaled)
    return Fraction(squares, count**3 * denominator**2)


def scale_score(
    center: Fraction, spread: Fraction, total: Fraction, mid: Fraction, variance: Fraction
) -> int:
    """center + spread * (total - mid) / sqrt(variance), rounded half away from zero."""
    return _rounded_scale(center, _gap(spread, total, mid), variance)


def _gap(spread: Fraction, total: Fraction, mid: Fraction) -> tuple[int, int]:
    """spread * (total - mid) as a numerator and a positive denominator. Left unreduced: the
    scale only compares ratios, and no Fraction (with its gcd) is built per competitor."""
    return (
        spread.numerator * (total.numerator * mid.denominator - mid.numerator * total.denominator),
        spread.denominator * total.denominator * mid.denominator,
    )


def _rounded_scale(center: Fraction, gap: tuple[int, int], variance: Fraction) -> int:
    """center + gap / sqrt(variance), rounded half away from zero, decided exactly.

    The root is never taken: `x >= b` is `gap / sd >= b - center`, and comparing x * |x|
    keeps the order while squaring the root away. A score that lands on n + 1/2 exactly (two
    competitors, a spread ending in .5) is then rounded as the rule says, which no finite
    precision guarantees.

    Each comparison is cleared of denominators, so it costs a few integer products: with the
    gap g_n / g_d, the variance v_n / v_d, the center c_n / c_d and a bound b = t / 2, need
    = b - center is m / (2 * c_d) with m = t * c_d - 2 * c_n, and `gap * |gap| >= need *
    |need| * variance` becomes `g_n * |g_n| * 4 * c_d**2 * v_d >= m * |m| * v_n * g_d**2`.
    """
    c_n, c_d = center.numerator, center.denominator
    g_n, g_d = gap
    left = g_n * abs(g_n) * 4 * c_d * c_d * variance.denominator
    weight = variance.numerator * g_d * g_d

    def above(twice_bound: int, strictly: bool = False) -> bool:
        need = twice_bound * c_d - 2 * c_n
        right = need * abs(need) * weight
        return left > right if strictly else left >= right

    # A float first guess is almost always right, so the exact checks below run once each.
    guess = round(float(center) + g_n / g_d / math.sqrt(variance))
    if above(0):
        # The largest n with x >= n - 1/2.
        while not above(2 * guess - 1):
            guess -= 1
        while above(2 * guess + 1):
            guess += 1
        return guess
    # Below zero, the mirror: the smallest n with x <= n + 1/2.
    while above(2 * guess + 1, strictly=True):
        guess += 1
    while not above(2 * guess - 1, strictly=True):
        guess -= 1
    return guess
