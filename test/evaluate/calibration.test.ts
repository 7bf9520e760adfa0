import { describe, expect, it } from 'vitest';
import { calibrate, power } from './calibration-harness.js';
import { DEFAULT_SIMULATION, type SimulationOptions } from './simulated-stage.js';

// Small, seeded versions of bench/calibration.ts (which runs hundreds of stages and prints the figures).
const SMALL: SimulationOptions = { ...DEFAULT_SIMULATION, tenants: 30, idps: 5, hours: 36 };
const STAGES = 40;
/** α + 2 standard errors of a proportion estimated from STAGES stages. */
const TOLERANCE = 0.05 + 2 * Math.sqrt((0.05 * 0.95) / STAGES);

describe('A/A calibration (simulated stages evaluated at every hourly look)', () => {
  it('keeps the share of stages with any false regression within α + 2 SE under user routing (within-cohort split)', () => {
    const figures = calibrate({ ...SMALL, routing: 'user' }, STAGES, 1000);
    expect(figures.falseRegression).toBeLessThanOrEqual(TOLERANCE);
    // The naive test (candidate vs everyone else, binomial, p < α at any hourly look) alarms on most A/A stages.
    expect(figures.naive).toBeGreaterThanOrEqual(0.5);
  });
  it('keeps it within α + 2 SE under tenant routing (difference in differences with drift and a shared incident)', () => {
    const figures = calibrate({ ...SMALL, routing: 'tenant' }, STAGES, 2000);
    expect(figures.falseRegression).toBeLessThanOrEqual(TOLERANCE);
    expect(figures.naive).toBeGreaterThanOrEqual(0.5);
  });
});

describe('power at the tolerated regression', () => {
  it('finds a tenant regression at about its planned per-cohort power and scopes it to the tenant', () => {
    const target = { tenant: 't7', idp: 'idp2' };
    const figures = power({ ...SMALL, volumes: { t7: 1600 }, hours: 48, regression: { scope: { tenant: 't7' }, increase: 0.01, start: 0 } }, target, 12, 3000);
    expect(figures.planned).toBeGreaterThan(0.6);
    expect(figures.detectedUnadjusted).toBeGreaterThanOrEqual(figures.planned - 0.25);
    expect(figures.detected).toBeGreaterThan(0);
    expect(figures.rightScope).toBe(1);
  });
  it('scopes a regression of every tenant on one IdP to the IdP', () => {
    const figures = power({ ...SMALL, hours: 72, regression: { scope: { idp: 'idp0' }, increase: 0.015, start: 0 } }, { idp: 'idp0' }, 8, 4000);
    expect(figures.detected).toBeGreaterThanOrEqual(0.5);
    expect(figures.rightScope).toBeGreaterThanOrEqual(0.75);
  });
});
