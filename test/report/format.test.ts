import { describe, expect, it } from 'vitest';
import {
  cohortKey, cohortLabel, cohortName, effectDigits, formatCi, formatCount, formatEffect, formatInstant, formatLevel, formatMs,
  formatP, formatPercent, formatPp, formatSize, formatValue,
} from '../../src/report/format.js';

describe('number formats', () => {
  it('writes counts with thousands separators', () => {
    expect(formatCount(4812330)).toBe('4,812,330');
    expect(formatCount(0)).toBe('0');
  });
  it('writes rate differences in percentage points with a real minus sign', () => {
    expect(formatPp(-0.031)).toBe('−3.1 pp');
    expect(formatPp(0.0022)).toBe('+0.2 pp');
    expect(formatPp(0.0002)).toBe('+0.02 pp');
    expect(formatPp(-0.00001)).toBe('0.00 pp');
  });
  it('writes latency in whole ms with separators', () => {
    expect(formatMs(1530.4)).toBe('1,530 ms');
    expect(formatValue('latency_p95', 398.1)).toBe('398 ms');
  });
  it('writes rates as percentages, with two decimals under 1%', () => {
    expect(formatPercent(0.9409)).toBe('94.1%');
    expect(formatPercent(0.0042)).toBe('0.42%');
    expect(formatValue('success_rate', null)).toBe('—');
  });
  it('writes p-values with a floor', () => {
    expect(formatP(0.000021)).toBe('< 0.0001');
    expect(formatP(0.0042)).toBe('0.0042');
    expect(formatP(0.52)).toBe('0.520');
  });
  it('writes effects in the metric unit: pp for rates, relative % for latency', () => {
    expect(formatEffect('success_rate', -0.031)).toBe('−3.1 pp');
    expect(formatEffect('latency_p95', 0.1657)).toBe('+16.6%');
    expect(formatEffect('error_rate:invalid_grant', null)).toBe('—');
  });
  it('gives an effect and its CI the precision the CI supports', () => {
    expect(effectDigits([-0.044, -0.018])).toBe(1);
    expect(effectDigits([-0.0031, 0.0015])).toBe(2);
    expect(formatCi('success_rate', [-0.044, -0.018])).toBe('−4.4 to −1.8');
    expect(formatCi('shadow_mismatch_rate', [-0.0003, 0.0073])).toBe('−0.03 to +0.73');
    expect(formatCi('latency_p95', [-0.0102, 0.0816])).toBe('−1.0 to +8.2');
  });
  it('writes tolerances and MDEs unsigned', () => {
    expect(formatSize('success_rate', 0.005)).toBe('0.50 pp');
    expect(formatSize('success_rate', 0.061)).toBe('6.1 pp');
    expect(formatSize('latency_p95', 0.1)).toBe('10.0%');
  });
  it('writes the confidence level for alpha', () => {
    expect(formatLevel(0.05)).toBe('95%');
    expect(formatLevel(0.1)).toBe('90%');
    expect(formatLevel(0.005)).toBe('99.5%');
  });
  it('writes instants in UTC', () => {
    expect(formatInstant('2026-10-21T07:10:00.000Z')).toBe('2026-10-21 07:10 UTC');
  });
});

describe('cohort names', () => {
  it('shows a one-dimension cohort by its value, others with dimension names', () => {
    expect(cohortLabel({ tenant: 't012' })).toBe('t012');
    expect(cohortName({ tenant: 't012' })).toBe('tenant t012');
    expect(cohortName({ tenant: 't012', idp: 'okta' })).toBe('tenant t012 × idp okta');
    expect(cohortLabel({})).toBe('everyone');
  });
  it('keys cohorts in plan dimension order whatever the object order', () => {
    expect(cohortKey({ idp: 'okta', tenant: 't012' })).toBe('tenant=t012|idp=okta');
    expect(cohortKey({})).toBe('');
  });
});
