"""Expected annual damage (EAD) from the damages of events with known return periods.

Three integration rules, all linear in the damages, so that
``EAD = sum_i w_i * D_i`` with weights ``w_i`` that depend only on the return
periods (:func:`ead_weights`). The frequency of exceedance of an event with
return period ``T`` is taken as ``f = 1/T`` per year in all three rules. With
the events sorted from frequent to rare (``T_1 < ... < T_n``, ``f_1 > ... > f_n``):

``"trapezoid"`` (STOWA WaterSchadeSchatter)
    Trapezoids of the damage between neighbouring frequencies plus a tail
    ``D_n * f_n`` (the rarest damage held for all rarer frequencies, i.e.
    ``D_max / T_max``); nothing more frequent than ``T_1``::

        EAD = D_n f_n + sum_{i<n} (f_i - f_{i+1}) (D_i + D_{i+1}) / 2

    The WSS reference example (damages 1000, 500, 200, 100, 10, 2 at return
    periods 250, 100, 50, 25, 10, 5) gives 18.90 per year.

``"loglinear"`` (Deltares Delft-FIAT)
    Between neighbouring frequencies the damage is linear in ``ln f``; no
    damage for frequencies above ``f_1``; the rarest damage ``D_n`` for all
    frequencies below ``f_n`` (tail ``D_n f_n``). With ``L = ln(f_i / f_{i+1})``
    the integral over one interval is exactly::

        D_{i+1} ((f_i - f_{i+1}) / L - f_{i+1}) + D_i (f_i - (f_i - f_{i+1}) / L)

``"events"`` (CLIMADA)
    An event set: ``EAD = sum_i D_i * nu_i`` with per-event frequencies
    ``nu_i``. CLIMADA computes the exceedance frequency of an impact as the
    cumulative sum of the frequencies of all events with an impact at least as
    large; for the events of return-period maps to reproduce ``1/T_i`` the
    event frequencies are the differences ``nu_i = 1/T_i - 1/T_{i+1}`` and
    ``nu_n = 1/T_n`` for the rarest (each strip of frequency gets the damage
    of its more frequent end: the lowest of the three rules). Explicit
    ``frequencies`` (per event per year) may be given instead.

Damages may have a leading event axis and any trailing shape (rasters): the
result has the trailing shape; a NaN damage gives a NaN result at that cell.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, get_args

import numpy as np
from numpy.typing import ArrayLike, NDArray

from alliantie.errors import InputDataError

Rule = Literal["trapezoid", "loglinear", "events"]
#: The integration rules, the default (WaterSchadeSchatter, pluvial flooding) first.
RULES: tuple[Rule, ...] = get_args(Rule)
DEFAULT_RULE: Rule = "trapezoid"


def _return_periods(return_periods: ArrayLike) -> NDArray[np.float64]:
    rp = np.asarray(return_periods, dtype=np.float64)
    if rp.ndim != 1 or rp.size == 0:
        raise InputDataError("damage.errors.return_periods_shape", shape=str(rp.shape))
    bad = rp[~np.isfinite(rp) | (rp <= 0)]
    if bad.size:
        raise InputDataError("damage.errors.return_period_not_positive", values=_fmt(bad))
    unique, counts = np.unique(rp, return_counts=True)
    if (counts > 1).any():
        raise InputDataError("damage.errors.return_period_duplicate", values=_fmt(unique[counts > 1]))
    return rp


def _fmt(values: NDArray[np.float64]) -> str:
    return ", ".join(f"{v:g}" for v in values.tolist())


def ead_weights(
    return_periods: ArrayLike, rule: Rule = DEFAULT_RULE, *, frequencies: ArrayLike | None = None
) -> NDArray[np.float64]:
    """Weights ``w`` (per year) with ``EAD = sum_i w_i D_i``, in the order of ``return_periods``.

    Useful to accumulate an EAD raster one event at a time (``ead += w[i] * damage_i``)
    without holding all event rasters in memory.
    """
    if rule not in RULES:
        raise InputDataError("damage.errors.unknown_rule", rule=str(rule), known=", ".join(RULES))
    rp = _return_periods(return_periods)
    if frequencies is not None:
        if rule != "events":
            raise InputDataError("damage.errors.frequencies_need_events", rule=rule)
        nu = np.asarray(frequencies, dtype=np.float64)
        if nu.shape != rp.shape:
            raise InputDataError("damage.errors.frequencies_shape", n=rp.size, shape=str(nu.shape))
        bad = nu[~np.isfinite(nu) | (nu < 0)]
        if bad.size:
            raise InputDataError("damage.errors.frequency_negative", values=_fmt(bad))
        return nu.copy()
    order = np.argsort(rp)  # frequent to rare
    f = 1.0 / rp[order]
    n = f.size
    w = np.zeros(n)
    if n == 1:
        w[0] = f[0]
    elif rule == "trapezoid":
        df = f[:-1] - f[1:]
        w[:-1] += df / 2.0
        w[1:] += df / 2.0
        w[-1] += f[-1]
    elif rule == "loglinear":
        fb, fa = f[:-1], f[1:]  # frequent end, rare end of each interval
        df = fb - fa
        # (f_b - f_a) / ln(f_b / f_a), with ln(f_b / f_a) as log1p((f_b - f_a) / f_a): accurate also for
        # return periods a few ulps apart, where the ratio rounds (negative weights, NaN); equal ones give f_a
        with np.errstate(divide="ignore", invalid="ignore"):
            mean_f = np.where(df > 0, df / np.log1p(df / fa), fa)
        w[:-1] += fb - mean_f
        w[1:] += mean_f - fa
        w[-1] += f[-1]
    else:  # events
        w[:-1] = f[:-1] - f[1:]
        w[-1] = f[-1]
    out = np.empty(n)
    out[order] = w
    return out


def expected_annual_damage(
    damages: ArrayLike,
    return_periods: ArrayLike,
    rule: Rule = DEFAULT_RULE,
    *,
    frequencies: ArrayLike | None = None,
) -> float | NDArray[np.float64]:
    """Expected annual damage (damage unit per year) of events given in any order.

    ``damages`` has shape ``(n_events,)`` (returns a float) or ``(n_events, ...)``
    (returns an array of the trailing shape, e.g. an EAD raster); NaN marks no data.
    ``return_periods`` (years, > 0, distinct) has shape ``(n_events,)``. ``rule`` is
    ``"trapezoid"`` (WaterSchadeSchatter, default), ``"loglinear"`` (Delft-FIAT) or
    ``"events"`` (CLIMADA; optional explicit ``frequencies`` per event per year).
    """
    d = np.asarray(damages, dtype=np.float64)
    w = ead_weights(return_periods, rule, frequencies=frequencies)
    if d.ndim == 0 or d.shape[0] != w.size:
        raise InputDataError("damage.errors.damages_shape", n=w.size, shape=str(d.shape))
    if (d < 0).any():  # NaN compares False: no data is allowed
        raise InputDataError("damage.errors.damage_negative", count=int((d < 0).sum()))
    result = np.tensordot(w, d, axes=(0, 0))
    if d.ndim == 1:
        return float(result)
    return np.asarray(result, dtype=np.float64)


def ead_by_rule(
    damages: ArrayLike, return_periods: ArrayLike, rules: Sequence[Rule] = RULES
) -> dict[Rule, float | NDArray[np.float64]]:
    """The EAD under each rule: the default and the sensitivity line of the report."""
    return {rule: expected_annual_damage(damages, return_periods, rule) for rule in rules}
