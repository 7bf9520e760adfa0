#!/usr/bin/python3
"""Reference values for src/stats/incident-hours.ts, computed independently with numpy.

Hampel's rule on standardised empirical logits, per key: r = log((x+.5)/(n-x+.5)),
s = sqrt(1/(x+.5) + 1/(n-x+.5)), u = (r - median r)/s, scale = max(1, 1.4826 MAD(u)),
flag u > z*scale and r - median r > log(4); runs of consecutive flagged hours (hours with
attempts) are incidents when <= 12 h long and followed by an unflagged hour; a key with more
incident hours than max(0.05 * hours, 12) has none.

Run: /usr/bin/python3 test/stats/reference/incident-hours.py > test/fixtures/stats/incident-hours.json
"""
import json

import numpy as np

rng = np.random.default_rng(20261125)
T0 = 1_792_800_000  # an hour start (2026-10-24T00:00Z), seconds
rows = []
cases = {
    # key: (hours, base rate, bursts {hour: rate}, attempts per hour)
    'okta': (336, 0.03, {40: 0.2, 41: 0.25, 200: 0.3}, 800),
    'azure': (336, 0.01, {100: 0.08, 335: 0.3}, 300),           # 100: 8x odds, small n; 335: still going
    'ping': (120, 0.05, {k: 0.4 for k in range(30, 45)}, 500),   # 15 hours: too long
    'adfs': (336, 0.02, {}, 50),                                  # noise only, small hours
}
for key, (hours, base, bursts, n_mean) in cases.items():
    for h in range(hours):
        n = int(rng.poisson(n_mean * (1 + 0.5 * np.sin(2 * np.pi * h / 24))))
        p = bursts.get(h, base * np.exp(0.15 * rng.standard_normal()))
        rows.append({'key': key, 'hour': T0 + 3600 * h, 'n': n, 'x': int(rng.binomial(n, p)) if n > 0 else 0})


def scan(rows, z=5.0, min_log_odds=np.log(4), max_run=12, max_share=0.05, min_hours=24):
    incidents, sustained = [], []
    for key in sorted({r['key'] for r in rows}):
        hs = sorted((r for r in rows if r['key'] == key and r['n'] > 0), key=lambda r: r['hour'])
        if len(hs) < min_hours:
            continue
        x = np.array([r['x'] for r in hs], float)
        n = np.array([r['n'] for r in hs], float)
        r = np.log((x + .5) / (n - x + .5))
        center = np.median(r)
        u = (r - center) / np.sqrt(1 / (x + .5) + 1 / (n - x + .5))
        scale = max(1.0, 1.4826 * np.median(np.abs(u - np.median(u))))
        flagged = (u > z * scale) & (r - center > min_log_odds)
        found = []
        i = 0
        while i < len(hs):
            if not flagged[i]:
                i += 1
                continue
            j = i
            while j + 1 < len(hs) and flagged[j + 1]:
                j += 1
            span = (hs[j]['hour'] - hs[i]['hour']) // 3600 + 1
            if j + 1 >= len(hs):
                sustained.append({'key': key, 'hours': j - i + 1, 'reason': 'still_elevated_at_end'})
            elif span <= max_run:
                p0 = 1 / (1 + np.exp(-center))
                found.append({'key': key, 'start': hs[i]['hour'], 'end': hs[j]['hour'] + 3600, 'hours': j - i + 1,
                              'attempts': int(n[i:j + 1].sum()), 'failures': int(x[i:j + 1].sum()),
                              'expectedFailures': float(n[i:j + 1].sum() * p0)})
            else:
                sustained.append({'key': key, 'hours': j - i + 1, 'reason': 'longer_than_max_run'})
            i = j + 1
        excluded = sum(f['hours'] for f in found)
        if excluded > max(max_share * len(hs), max_run):
            sustained.append({'key': key, 'hours': excluded, 'reason': 'too_many_hours'})
            continue
        incidents.extend(found)
    return {'incidents': incidents, 'sustained': sustained}


print(json.dumps({'numpy': np.__version__, 'rows': rows, 'expected': scan(rows)}, indent=1))
