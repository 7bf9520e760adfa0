"""Reference values for the part A statistics tests (src/stats/*, statistics.md sections 2.1, 2.4, 4, 5, 8.1).

Run from the repository root with Debian's Python (scipy 1.10.1, statsmodels 0.13.5, mpmath 1.2.1) and R 4.2.2:
    /usr/bin/python3 test/stats/reference/part-a.py > test/fixtures/stats/part-a.json
It runs part-a.R (base R: binom.test, fisher.test, poisson.test, prop.test, p.adjust, chisq.test) and adds
the values computed here: statsmodels (Wilson, Newcombe, pooled z), mpmath at 50 digits (beta-binomial tails),
exact rational arithmetic (beta-binomial moment estimator) and scipy (beta posterior quantiles).
"""
import json
import subprocess
from fractions import Fraction
from pathlib import Path

import mpmath
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint, proportions_ztest

mpmath.mp.dps = 50
here = Path(__file__).parent
out = json.loads(subprocess.run(["Rscript", str(here / "part-a.R")], check=True, capture_output=True, text=True).stdout)


def case(args, expected, source):
    return {"args": args, "expected": expected, "source": source}


def sqrt_fraction(f):
    return mpmath.sqrt(mpmath.mpf(f.numerator) / f.denominator)


# Worked example of statistics.md 2.1, and the unpooled/pooled standard errors (statsmodels' z as a cross-check).
def two_prop(xT, nT, xC, nC):
    z, p = proportions_ztest([xT, xC], [nT, nC])
    pT, pC, pool = Fraction(xT, nT), Fraction(xC, nC), Fraction(xT + xC, nT + nC)
    se = sqrt_fraction(pT * (1 - pT) / nT + pC * (1 - pC) / nC)
    se_pooled = sqrt_fraction(pool * (1 - pool) * (Fraction(1, nT) + Fraction(1, nC)))
    return case({"xT": xT, "nT": nT, "xC": xC, "nC": nC},
                {"z": float(z), "pValue": float(p), "diff": float(pT - pC), "se": float(se), "sePooled": float(se_pooled)},
                "statsmodels proportions_ztest; se, sePooled exact at 50 digits")


out["twoProportionZStatsmodels"] = [two_prop(480, 500, 9500, 10000), two_prop(12, 400, 5, 420), two_prop(3, 10, 9, 12)]

out["wilsonStatsmodels"] = [
    case({"x": x, "n": n, "confidence": c}, dict(zip(["lower", "upper"], map(float, proportion_confint(x, n, 1 - c, "wilson")))),
         f"proportion_confint({x}, {n}, alpha={1 - c:g}, method='wilson')")
    for x, n, c in [(0, 10, 0.95), (3, 20, 0.9), (480, 500, 0.95), (7, 1000, 0.99)]
]

out["newcombeInterval"] = [
    case({"xT": xT, "nT": nT, "xC": xC, "nC": nC, "confidence": c},
         dict(zip(["lower", "upper"], map(float, confint_proportions_2indep(xT, nT, xC, nC, method="newcomb", compare="diff", alpha=1 - c)))),
         f"confint_proportions_2indep({xT}, {nT}, {xC}, {nC}, method='newcomb', compare='diff', alpha={1 - c:g})")
    for xT, nT, xC, nC, c in [(12, 400, 5, 420, 0.95), (0, 20, 3, 25, 0.95), (480, 500, 9500, 10000, 0.95),
                              (9, 10, 1, 10, 0.9), (0, 15, 0, 15, 0.95), (10, 10, 10, 10, 0.95)]
]


def bb_upper(x, n, a, b):
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    terms = (mpmath.binomial(n, k) * mpmath.beta(k + a, n - k + b) / mpmath.beta(a, b) for k in range(max(x, 0), n + 1))
    return float(mpmath.fsum(terms))


out["betaBinomialUpperTail"] = [
    case({"x": x, "n": n, "a": a, "b": b}, {"p": bb_upper(x, n, a, b)}, "mpmath 50 digits: sum_{k>=x} C(n,k) B(k+a,n-k+b)/B(a,b)")
    for x, n, a, b in [(5, 100, 2, 50), (30, 200, 1.5, 80), (1, 1, 0.5, 0.5), (60, 1000, 3.3, 140.7), (1000, 1000, 2, 50),
                       (3, 40, 0.8, 30.2), (1, 500, 2.5, 997.5)]
]
out["betaBinomialScipy"] = [
    case({"x": 5, "n": 100, "a": 2, "b": 50}, {"p": float(stats.betabinom.sf(4, 100, 2, 50))}, "scipy betabinom.sf(4, 100, 2, 50)")
]


def beta_moments(rows):
    k, N = len(rows), sum(n for _, n in rows)
    mu = Fraction(sum(x for x, _ in rows), N)
    x2 = sum(Fraction((x - n * mu) ** 2) / (n * mu * (1 - mu)) for x, n in rows)
    rho = max(Fraction(0), (x2 - (k - 1)) / (N - Fraction(sum(n * n for _, n in rows), N) - (k - 1)))
    total = (1 - rho) / rho if rho else None
    return {"mean": float(mu), "rho": float(rho), "a": float(mu * total) if total else "Infinity",
            "b": float((1 - mu) * total) if total else "Infinity"}


fit_rows = [
    [(12, 1000), (30, 1200), (8, 900), (25, 1100), (15, 950), (40, 1300), (9, 800), (22, 1000), (18, 1050), (31, 1150)],
    [(1, 50), (0, 40), (3, 60), (2, 45), (9, 55)],
    [(10, 100), (10, 100), (10, 100)],
]
out["fitBetaMoments"] = [case({"rows": [{"x": x, "n": n} for x, n in rows]}, beta_moments(rows), "exact rational arithmetic, statistics.md 1.2")
                         for rows in fit_rows]

shrink = []
for x, n, mu, rho, c in [(3, 40, 0.02, 0.01, 0.95), (0, 10, 0.05, 0.002, 0.95), (50, 60, 0.3, 0.2, 0.9), (120, 5000, 0.02, 0.0005, 0.99)]:
    total = (1 - rho) / rho
    a, b = mu * total + x, (1 - mu) * total + n - x
    shrink.append(case({"x": x, "n": n, "mean": mu, "rho": rho, "confidence": c},
                       {"mean": a / (a + b), "lower": float(stats.beta.ppf((1 - c) / 2, a, b)),
                        "upper": float(stats.beta.ppf((1 + c) / 2, a, b)), "weight": n / (n + total)},
                       "posterior Beta(a + x, b + n - x), scipy beta.ppf"))
out["betaBinomialShrinkage"] = shrink

print(json.dumps(out, indent=1))
