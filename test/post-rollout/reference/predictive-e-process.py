"""Reference values for src/post-rollout/predictive-e-process.ts.

Run from the repository root (scipy 1.10):
    /usr/bin/python3 test/post-rollout/reference/predictive-e-process.py > test/post-rollout/fixtures/predictive-e-process.json
M is computed by an independent route: numerical integration of the binomial likelihood of one
ordered sequence against each Beta density (scipy.integrate.quad), and checked against the ratio
of scipy.stats.betabinom pmfs (the binomial coefficient cancels).
"""
import json, math
from scipy import integrate, stats

MULTIPLIERS = [1.5, 2, 3, 5]

def seq_prob(x, n, a, b):
    # ∫ p^x (1-p)^(n-x) Beta(p; a, b) dp, on the log scale around the mode for accuracy
    f = lambda p: math.exp(x * math.log(p) + (n - x) * math.log1p(-p) + stats.beta.logpdf(p, a, b) - shift)
    lo, hi = 1e-300, 1 - 1e-16
    mode = min(max((x + a - 1) / (n + a + b - 2), 1e-9), 1 - 1e-9)
    shift = x * math.log(mode) + (n - x) * math.log1p(-mode) + stats.beta.logpdf(mode, a, b)
    pts = sorted({mode / 10, mode / 2, mode, min(2 * mode, 0.999), min(10 * mode, 0.9999)})
    val, _ = integrate.quad(f, 0, 1, points=pts, limit=500, epsabs=0, epsrel=1e-12)
    return math.log(val) + shift

def log_e(x, n, a, b, ms=MULTIPLIERS):
    c = a + b; mu = a / c
    null = seq_prob(x, n, a, b)
    alts = []
    for r in ms:
        aj = min(r * mu, 0.999) * c
        alts.append(seq_prob(x, n, aj, c - aj))
    top = max(alts)
    return top + math.log(sum(math.exp(l - top) for l in alts) / len(alts)) - null

def log_e_pmf(x, n, a, b, ms=MULTIPLIERS):
    c = a + b; mu = a / c
    null = stats.betabinom.logpmf(x, n, a, b)
    alts = [stats.betabinom.logpmf(x, n, min(r * mu, 0.999) * c, c - min(r * mu, 0.999) * c) for r in ms]
    top = max(alts)
    return top + math.log(sum(math.exp(l - top) for l in alts) / len(alts)) - null

cases = []
for (x, n, a, b) in [(0, 10, 2, 98), (3, 50, 2, 98), (12, 400, 3.5, 296.5), (40, 1000, 15, 985), (5, 20000, 0.5, 100000.5), (150, 5000, 60, 5940)]:
    v = log_e(x, n, a, b)
    assert abs(v - log_e_pmf(x, n, a, b)) < 1e-7 * max(1, abs(v)), (x, n, a, b)
    cases.append({"x": x, "n": n, "a": a, "b": b, "logE": v})

looks = [{"x": 2, "n": 300}, {"x": 9, "n": 700}, {"x": 11, "n": 1100}, {"x": 30, "n": 1500}]
prior = {"a": 4.0, "b": 396.0}
seq = []
p = 1.0
for l in looks:
    v = log_e_pmf(l["x"], l["n"], prior["a"], prior["b"])
    p = min(p, math.exp(-max(v, 0)))
    seq.append({"logE": v, "p": p})

print(json.dumps({"multipliers": MULTIPLIERS, "cases": cases, "sequence": {"looks": looks, "prior": prior, "states": seq}}, indent=2))
