"""Reference values for stats part B (src/stats: variance, sequential tests, latency, power).

Run from the repository root with Debian's python (scipy 1.10, statsmodels 0.13, R 4.x):
    /usr/bin/python3 test/stats/reference/part-b.py > test/fixtures/stats/part-b.json
It also runs part-b.R (glm, power.prop.test, wilcox.test, mad) and merges its output under "r".
Every value is computed here by an independent route (numerical integration, root finding,
scipy/R routines on raw or expanded data), not by transcribing the TypeScript formulas.
"""
import json, math, os, subprocess, sys, tempfile
import numpy as np
from scipy import integrate, optimize, special, stats

rng = np.random.default_rng(20261125)
out = {}

# --- latency histogram (6.1): bins as DuckDB computes them, with C's log ------------------
edges = [1.05 ** k for k in range(242)]
probe = [0, 0.2, 1, 1.0499, 1.05, 1.1025, 2.5, 10, 99.9, 250, 1000, 30000, 121000, 122000, 1e7]
out["latencyBins"] = {"ms": probe, "bin": [0 if x == 0 else min(max(math.floor(math.log(x) / math.log(1.05)), 0), 240) for x in probe]}

def binned(sample):
    counts = [0] * 241
    for x in sample:
        counts[min(max(math.floor(math.log(x) / math.log(1.05)), 0), 240)] += 1
    return counts

lat_t = np.exp(rng.normal(math.log(180), 0.55, 400))
lat_c = np.exp(rng.normal(math.log(150), 0.5, 600))
ct, cc = binned(lat_t), binned(lat_c)

def hist_quantile(counts, q):
    # Ogive: the cumulative count is piecewise linear between bin edges; invert it.
    cum = np.concatenate([[0], np.cumsum(counts)])
    target = q * cum[-1]
    j = int(np.searchsorted(cum[1:], target, side="left"))
    while counts[j] == 0:
        j += 1
    return edges[j] + (target - cum[j]) / counts[j] * (edges[j + 1] - edges[j])

z95 = stats.norm.ppf(0.975)
def woodruff(counts, q, conf):
    z = stats.norm.ppf((1 + conf) / 2)
    n = sum(counts)
    h = z * math.sqrt(q * (1 - q) / n)
    lo, hi = hist_quantile(counts, max(q - h, 0)), hist_quantile(counts, min(q + h, 1))
    return {"estimate": hist_quantile(counts, q), "lower": lo, "upper": hi, "se": (hi - lo) / (2 * z)}

qs = [0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 1.0]
out["histograms"] = {"t": ct, "c": cc, "q": qs, "quantileT": [hist_quantile(ct, q) for q in qs]}
out["woodruff"] = {q: woodruff(ct, q, 0.95) for q in [0.5, 0.95]}
wt, wc = woodruff(ct, 0.95, 0.9), woodruff(cc, 0.95, 0.9)
z90 = stats.norm.ppf(0.95)
d, se = wt["estimate"] - wc["estimate"], math.hypot(wt["se"], wc["se"])
lse = math.hypot(wt["se"] / wt["estimate"], wc["se"] / wc["estimate"])
ratio = wt["estimate"] / wc["estimate"]
out["quantileDifference"] = {"q": 0.95, "confidence": 0.9, "difference": d, "se": se, "lower": d - z90 * se,
    "upper": d + z90 * se, "ratio": ratio, "ratioLower": ratio * math.exp(-z90 * lse), "ratioUpper": ratio * math.exp(z90 * lse)}
xt = np.repeat(np.arange(241), ct); xc = np.repeat(np.arange(241), cc)
mw = stats.mannwhitneyu(xt, xc, use_continuity=False, method="asymptotic", alternative="two-sided")
u = float(mw.statistic)  # scipy's U is for the first sample: pairs with xt > xc plus half the ties
nt, nc = len(xt), len(xc)
_, tie_counts = np.unique(np.concatenate([xt, xc]), return_counts=True)
N = nt + nc
var_u = nt * nc / 12 * ((N + 1) - (tie_counts ** 3 - tie_counts).sum() / (N * (N - 1)))
out["mannWhitney"] = {"u": u, "pValue": float(mw.pvalue), "z": (u - nt * nc / 2) / math.sqrt(var_u), "auc": u / (nt * nc)}

# --- Welch t on log latency (6.2), scipy on the raw logs ----------------------------------
lt, lc = np.log(lat_t), np.log(lat_c)
w = stats.ttest_ind(lt, lc, equal_var=False)
vt, vc = lt.var(ddof=1) / nt, lc.var(ddof=1) / nc
out["welch"] = {"a": {"n": nt, "sum": float(lt.sum()), "sumSq": float((lt ** 2).sum())},
    "b": {"n": nc, "sum": float(lc.sum()), "sumSq": float((lc ** 2).sum())},
    "t": float(w.statistic), "pValue": float(w.pvalue), "diff": float(lt.mean() - lc.mean()), "se": math.sqrt(vt + vc),
    "df": (vt + vc) ** 2 / (vt ** 2 / (nt - 1) + vc ** 2 / (nc - 1))}

# --- delta-method ratio variance (2.6), from raw unit rows -------------------------------
K = 60
n_u = 1 + rng.poisson(4, K)
x_u = rng.binomial(n_u, rng.beta(0.6, 8, K))
p = x_u.sum() / n_u.sum()
lin = x_u - p * n_u  # linearised unit values; Var(p) = var(lin) / (K nbar^2)
var_p = lin.var(ddof=1) / (K * n_u.mean() ** 2)
out["ratioVariance"] = {"sums": {"K": K, "Sx": int(x_u.sum()), "Sn": int(n_u.sum()), "Sxx": int((x_u ** 2).sum()),
    "Snn": int((n_u ** 2).sum()), "Sxn": int((x_u * n_u).sum())}, "rate": p, "variance": var_p,
    "designEffect": var_p / (p * (1 - p) / n_u.sum())}

# --- overdispersion (1.2) -----------------------------------------------------------------
od_n = rng.integers(800, 3000, 10)
od_x = rng.binomial(od_n, np.clip(rng.normal(0.03, 0.006, 10), 0.001, None))
od_t = np.arange(10)
mu = od_x.sum() / od_n.sum()
v = mu * (1 - mu) / od_n
x2 = (((od_x - od_n * mu) ** 2) / (od_n * mu * (1 - mu))).sum()
W = 1 / v
Ntot = od_n.sum()
out["overdispersion"] = {"x": od_x.tolist(), "n": od_n.tolist(), "t": od_t.tolist(), "mu": mu, "x2": x2,
    "tau2": max(0, (x2 - 9) / (W.sum() - (W ** 2).sum() / W.sum())),
    "tau2ConstantMean": max(0, mu * (1 - mu) * (x2 - 9) / (Ntot - (od_n ** 2).sum() / Ntot)),
    "rho": max(0, (x2 - 9) / (Ntot - (od_n ** 2).sum() / Ntot - 9))}

# --- logit trend with offset (1.1): inputs for R's glm -----------------------------------
tr_t = np.arange(24.0) * 6
tr_off = 0.3 * np.sin(2 * np.pi * tr_t / 24)
tr_n = rng.integers(500, 4000, 24)
tr_x = rng.binomial(tr_n, 1 / (1 + np.exp(-(-3.2 + 0.004 * (tr_t - 70) + tr_off))))
out["trend"] = {"x": tr_x.tolist(), "n": tr_n.tolist(), "t": tr_t.tolist(), "offset": tr_off.tolist()}

# --- normal mixture (3.1) -----------------------------------------------------------------
def log_lambda_quad(theta_hat, v, tau2, theta0):
    # Mixture likelihood ratio by numerical integration over theta ~ N(theta0, tau2), peak factored out.
    logf = lambda th: ((theta_hat - theta0) ** 2 - (theta_hat - th) ** 2) / (2 * v) - (th - theta0) ** 2 / (2 * tau2) - 0.5 * math.log(2 * math.pi * tau2)
    centre = (theta_hat * tau2 + theta0 * v) / (tau2 + v)
    width = 14 * math.sqrt(tau2 * v / (tau2 + v))
    peak = logf(centre)
    val = integrate.quad(lambda th: math.exp(logf(th) - peak), centre - width, centre + width, epsabs=0, epsrel=1e-13, limit=200)[0]
    return peak + math.log(val)

def log_lambda_one_sided_quad(theta_hat, v, tau2, theta0):
    # Half-normal mixture over delta = theta - theta0 >= 0 with scale sqrt(tau2), peak factored out.
    logf = lambda dl: (dl * (theta_hat - theta0) - dl ** 2 / 2) / v + math.log(2) - dl ** 2 / (2 * tau2) - 0.5 * math.log(2 * math.pi * tau2)
    centre = max(0.0, (theta_hat - theta0) * tau2 / (v + tau2))
    width = 14 * math.sqrt(tau2 * v / (tau2 + v))
    peak = logf(centre)
    val = integrate.quad(lambda dl: math.exp(logf(dl) - peak), max(0.0, centre - width), centre + width, epsabs=0, epsrel=1e-13, limit=200)[0]
    return peak + math.log(val)

mix_cases = [(0.012, 1e-5, 8e-5, 0.0), (-0.003, 2e-6, 5e-6, 0.001), (0.0, 4e-4, 1e-3, 0.0), (0.2, 0.01, 0.0794, 0.05)]
out["mixture"] = [{"thetaHat": th, "v": vv, "tau2": t2, "theta0": t0, "logLambda": log_lambda_quad(th, vv, t2, t0),
    "logLambdaOneSided": log_lambda_one_sided_quad(th, vv, t2, t0)} for th, vv, t2, t0 in mix_cases]

def half_width_root(v, tau2, alpha):
    return optimize.brentq(lambda d: log_lambda_quad(d, v, tau2, 0.0) - math.log(1 / alpha), 1e-12, 20 * math.sqrt(v + tau2), xtol=1e-15, rtol=1e-14)
def half_width_one_sided_root(v, tau2, alpha):
    return optimize.brentq(lambda d: log_lambda_one_sided_quad(d, v, tau2, 0.0) - math.log(1 / alpha), 1e-12, 20 * math.sqrt(v + tau2), xtol=1e-15, rtol=1e-14)
def growthbook_half_width(s2, n, alpha, rho):
    # gbstats.frequentist.tests: sequential_interval_halfwidth with rho = sequential_rho
    return math.sqrt(s2) * math.sqrt(2 * (n * rho ** 2 + 1) * math.log(math.sqrt(n * rho ** 2 + 1) / alpha) / (n * rho) ** 2)

hw = []
for v, alpha, n_gb in [(1e-5, 0.05, 5000), (2.5e-3, 0.01, 400), (1.0, 0.1, 10)]:
    s2 = v * n_gb
    rho_gb = math.sqrt((-2 * math.log(alpha) + math.log(-2 * math.log(alpha) + 1)) / n_gb)  # tuned at N = n_gb
    tau2 = rho_gb ** 2 * s2
    hw.append({"v": v, "alpha": alpha, "tau2": tau2, "growthbook": growthbook_half_width(s2, n_gb, alpha, rho_gb),
        "root": half_width_root(v, tau2, alpha), "oneSidedRoot": half_width_one_sided_root(v, tau2, alpha)})
out["halfWidth"] = hw

# A short stream: cumulative means of N(0.3, 1) increments in batches of 25, theta0 = 0.
inc = rng.normal(0.3, 1.0, 250)
looks = [{"thetaHat": float(inc[:m].mean()), "v": 1 / m} for m in range(25, 251, 25)]
tau2_s = (1 / 250) * (2 * math.log(20) + math.log(1 + 2 * math.log(20)))
pv, lo, hi, states = 1.0, -math.inf, math.inf, []
for lk in looks:
    ll = log_lambda_quad(lk["thetaHat"], lk["v"], tau2_s, 0.0)
    h = half_width_root(lk["v"], tau2_s, 0.05)
    pv, lo, hi = min(pv, math.exp(-ll), 1.0), max(lo, lk["thetaHat"] - h), min(hi, lk["thetaHat"] + h)
    states.append({"logLambda": ll, "p": pv, "lower": lo, "upper": hi})
out["sequence"] = {"looks": looks, "tau2": tau2_s, "alpha": 0.05, "states": states}

# --- Dirichlet-multinomial (3.2, 8.2), via beta/gamma integrals ---------------------------
def dm_log_bf(counts, theta0, k):
    a = k * np.asarray(theta0); nn = np.asarray(counts, dtype=float)
    log_marginal = special.gammaln(a.sum()) - special.gammaln(a).sum() + special.gammaln(a + nn).sum() - special.gammaln(a.sum() + nn.sum())
    return float(log_marginal - (nn * np.log(theta0)).sum())
def dm_log_bf_two_arm_quad(n1, n2, th0, k):
    # integral of theta^n1 (1 - theta)^n2 Beta(theta; k th0, k (1 - th0)) d theta over th0^n1 (1 - th0)^n2
    a, b = k * th0, k * (1 - th0)
    mode = (n1 + a - 1) / (n1 + n2 + a + b - 2)
    logf = lambda t: n1 * math.log(t / th0) + n2 * math.log((1 - t) / (1 - th0)) + stats.beta.logpdf(t, a, b)
    peak = logf(mode)
    val = integrate.quad(lambda t: math.exp(logf(t) - peak), 0, 1, points=[mode], epsabs=0, epsrel=1e-12, limit=400)[0]
    return peak + math.log(val)
th0 = [5000 / 55000, 50000 / 55000]
out["dirichlet"] = {"counts": [30, 210], "theta0": th0, "k": 100, "logBF": dm_log_bf([30, 210], th0, 100),
    "logBFQuad": dm_log_bf_two_arm_quad(30, 210, th0[0], 100),
    "three": {"counts": [520, 480, 1090], "theta0": [0.25, 0.25, 0.5], "k": 1000, "logBF": dm_log_bf([520, 480, 1090], [0.25, 0.25, 0.5], 1000)}}
split = [0.5, 0.5]
cum = np.cumsum(rng.multinomial(400, [0.47, 0.53], 12), axis=0)
seq, pmin = [], 1.0
for c in cum:
    lb = dm_log_bf(c, split, 100); pmin = min(pmin, math.exp(-max(lb, 0))); seq.append({"logBF": lb, "p": pmin})
out["dirichletSequence"] = {"cumulative": cum.tolist(), "theta0": split, "k": 100, "states": seq,
    "chiSquareLast": float(stats.chisquare(cum[-1]).pvalue)}

# --- plug-in rate-ratio e-process (3.2 ii) ------------------------------------------------
pi_t = [0.01] * 4 + [0.05] * 4 + [0.25] * 4
win = []
for pt in pi_t:
    win.append({"xT": int(rng.poisson(40000 * pt * 0.02 * 1.4)), "xC": int(rng.poisson(40000 * (1 - pt) * 0.02)), "piT": pt, "piC": 1 - pt})
sx = {"xT": 0, "xC": 0, "eT": 0.0, "eC": 0.0}; lm, pmin, pstates = 0.0, 1.0, []
for wd in win:
    r = ((sx["xT"] + 1) / sx["eT"]) / ((sx["xC"] + 1) / sx["eC"]) if sx["eT"] > 0 else 1.0
    t0 = wd["piT"] / (wd["piT"] + wd["piC"]); tt = r * wd["piT"] / (r * wd["piT"] + wd["piC"])
    le = stats.binom.logpmf(wd["xT"], wd["xT"] + wd["xC"], tt) - stats.binom.logpmf(wd["xT"], wd["xT"] + wd["xC"], t0)
    lm += le; pmin = min(pmin, math.exp(-max(lm, 0)))
    pstates.append({"logE": float(le), "logM": float(lm), "p": pmin, "rateRatio": r})
    sx = {"xT": sx["xT"] + wd["xT"], "xC": sx["xC"] + wd["xC"], "eT": sx["eT"] + wd["piT"], "eC": sx["eC"] + wd["piC"]}
out["plugIn"] = {"windows": win, "states": pstates}

# --- power / MDE (7) ----------------------------------------------------------------------
def power_eq(d, nC, p0, r, de, crit, sign=1):
    p1 = p0 + sign * d; pbar = (r * p1 + p0) / (1 + r)
    return stats.norm.cdf((d * math.sqrt(nC / de) - crit * math.sqrt(pbar * (1 - pbar) * (1 + 1 / r))) / math.sqrt(p0 * (1 - p0) + p1 * (1 - p1) / r))
def n_c_root(p1, p2, alpha, power, r, de):
    zc = stats.norm.ppf(1 - alpha / 2); pbar = (r * p1 + p2) / (1 + r)
    f = lambda nC: stats.norm.cdf((abs(p1 - p2) * math.sqrt(nC / de) - zc * math.sqrt(pbar * (1 - pbar) * (1 + 1 / r))) / math.sqrt(p2 * (1 - p2) + p1 * (1 - p1) / r)) - power
    return optimize.brentq(f, 1, 1e9, xtol=1e-12, rtol=1e-15)
l = 2 * math.log(20); c2 = l + math.log(1 + l)
boundary = optimize.brentq(lambda d: log_lambda_quad(d, 1.0, c2, 0.0) - math.log(20), 0.1, 10, xtol=1e-15)
zb = stats.norm.ppf(0.8)
out["power"] = {
    "unequal": {"p1": 0.012, "p2": 0.01, "alpha": 0.05, "power": 0.8, "ratio": 0.25, "designEffect": 1.7,
        "nC": n_c_root(0.012, 0.01, 0.05, 0.8, 0.25, 1.7)},
    "mdeUnequal": {"p0": 0.02, "nT": 5000, "nC": 45000, "alpha": 0.05, "power": 0.8, "designEffect": 1.3,
        "mde": optimize.brentq(lambda d: power_eq(d, 45000, 0.02, 5000 / 45000, 1.3, z95) - 0.8, 1e-9, 0.5, xtol=1e-15, rtol=1e-15),
        "mdeDecrease": optimize.brentq(lambda d: power_eq(d, 45000, 0.02, 5000 / 45000, 1.3, z95, -1) - 0.8, 1e-9, 0.0199, xtol=1e-15, rtol=1e-15),
        "mdeSequential": optimize.brentq(lambda d: power_eq(d, 45000, 0.02, 5000 / 45000, 1.3, boundary) - 0.8, 1e-9, 0.5, xtol=1e-15, rtol=1e-15)},
    "sequentialBoundary": boundary, "mdeRatio": (boundary + zb) / (z95 + zb),
    "baselineOnly": {"p0": 0.03, "nPerWindow": 2000, "windows": 24, "tau2": 4e-6, "varianceBaseline": 2e-7, "alpha": 0.05, "power": 0.8,
        "mde": (z95 + zb) * math.sqrt((0.03 * 0.97 / 2000 + 4e-6) / 24 + 2e-7), "floor": (z95 + zb) * math.sqrt(4e-6 / 24 + 2e-7)},
    "exactScipy": {"n": 200, "p0": 0.01, "p1": 0.04, "alpha": 0.05}}
c = next(c for c in range(0, 202) if stats.binom.sf(c - 1, 200, 0.01) <= 0.05)
out["power"]["exactScipy"].update({"critical": c, "size": float(stats.binom.sf(c - 1, 200, 0.01)), "power": float(stats.binom.sf(c - 1, 200, 0.04))})

# --- R ------------------------------------------------------------------------------------
with tempfile.TemporaryDirectory() as tmp:
    with open(os.path.join(tmp, "overdispersion.tsv"), "w") as f:
        f.write("x\tn\tt\n" + "".join(f"{a}\t{b}\t{c}\n" for a, b, c in zip(od_x, od_n, od_t)))
    with open(os.path.join(tmp, "trend.tsv"), "w") as f:
        f.write("x\tn\tt\toffset\n" + "".join(f"{a}\t{b}\t{c!r}\t{d!r}\n" for a, b, c, d in zip(tr_x, tr_n, tr_t.tolist(), tr_off.tolist())))
    with open(os.path.join(tmp, "histograms.tsv"), "w") as f:
        f.write("t\tc\n" + "".join(f"{a}\t{b}\n" for a, b in zip(ct, cc)))
    here = os.path.dirname(os.path.abspath(__file__))
    r_out = subprocess.run(["Rscript", os.path.join(here, "part-b.R"), tmp], check=True, capture_output=True, text=True).stdout
out["r"] = json.loads(r_out)
out["generatedBy"] = "test/stats/reference/part-b.py (and part-b.R), " + f"scipy {__import__('scipy').__version__}, numpy {np.__version__}"
json.dump(out, sys.stdout, indent=1, default=float)
print()
