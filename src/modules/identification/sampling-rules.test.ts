import { describe, expect, it } from 'vitest';
import { computeRates, drawFrom, effectiveLine, findingFits, formatPercent, relativeStandardBody, sampleSize, seededRandom, stratumOf, stratumSeed, wilsonInterval, type Finding, type Stratum } from './sampling-rules.ts';

const frame = Array.from({ length: 200 }, (_, i) => `4301811252010${String(i + 1).padStart(3, '0')}`);

describe('the seeded draw', () => {
  it('gives the same sample, in the same order, for the same seed and frame', () => {
    expect(drawFrom(frame, 40, 20250601)).toEqual(drawFrom(frame, 40, 20250601));
    expect(seededRandom(7)()).toBe(seededRandom(7)());
  });

  it('gives another sample for another seed', () => {
    const a = drawFrom(frame, 40, 1);
    const b = drawFrom(frame, 40, 2);
    expect(a).not.toEqual(b);
    // Not just another order: different households.
    expect(new Set(a)).not.toEqual(new Set(b));
  });

  it('draws distinct members of the frame, and the whole frame when the size reaches it', () => {
    const s = drawFrom(frame, 40, 99);
    expect(new Set(s).size).toBe(40);
    for (const x of s) expect(frame).toContain(x);
    expect(drawFrom(frame, 500, 3).sort()).toEqual([...frame].sort());
    expect(drawFrom(frame, 0, 3)).toEqual([]);
  });

  it('leaves the frame as it was', () => {
    const copy = [...frame];
    drawFrom(frame, 100, 5);
    expect(frame).toEqual(copy);
  });

  it('draws each stratum from its own stream of the seed', () => {
    expect(stratumSeed(123, 'poor')).toBe(123);
    expect(stratumSeed(123, 'nonPoor')).not.toBe(123);
    expect(stratumSeed(123, 'nonPoor')).toBe(stratumSeed(123, 'nonPoor'));
  });

  it('spreads over the frame (each household about equally likely over many seeds)', () => {
    const hits = new Array<number>(20).fill(0);
    const small = Array.from({ length: 20 }, (_, i) => i);
    for (let seed = 0; seed < 4000; seed++) for (const x of drawFrom(small, 5, seed)) hits[x]!++;
    // Expected 4000 × 5/20 = 1000 per item; a fair draw stays well within ±15 %.
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(150);
  });
});

describe('sample sizes', () => {
  it('is ceil(rate × population)', () => {
    expect(sampleSize(0.2, 46)).toBe(10); // 9.2 → 10
    expect(sampleSize(0.1, 101)).toBe(11); // 10.1 → 11
    expect(sampleSize(0.05, 1)).toBe(1); // 0.05 → 1
    expect(sampleSize(0, 50)).toBe(0);
    expect(sampleSize(1, 50)).toBe(50);
  });

  it('does not round up a product that is whole (0.07 × 100 is 7.000000000000001 in floating point)', () => {
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(sampleSize(0.2, 45)).toBe(9);
    expect(sampleSize(0.1, 30)).toBe(3);
    expect(sampleSize(0.07, 100)).toBe(7);
  });
});

describe('strata and findings', () => {
  it('puts registered poor households not out of poverty in the poor stratum, never-registered ones in the non-poor one', () => {
    expect(stratumOf('registeredPoor', 'notExited')).toBe('poor');
    expect(stratumOf('registeredPoor', 'returned')).toBe('poor');
    expect(stratumOf('relativePoor', 'notExited')).toBe('poor');
    expect(stratumOf('registeredPoor', 'exited')).toBeNull();
    expect(stratumOf('exited', 'exited')).toBeNull();
    expect(stratumOf('ordinary', 'notExited')).toBe('nonPoor');
    expect(stratumOf('marginal', 'monitored')).toBe('nonPoor');
    expect(stratumOf('monitored', 'monitored')).toBe('nonPoor');
  });

  it('accepts 错评 only on poor households and 漏评 only on non-poor ones', () => {
    expect(findingFits('poor', 'shouldExclude')).toBe(true);
    expect(findingFits('poor', 'missing')).toBe(false);
    expect(findingFits('nonPoor', 'missing')).toBe(true);
    expect(findingFits('nonPoor', 'shouldExclude')).toBe(false);
    expect(findingFits('poor', 'correct')).toBe(true);
    expect(findingFits('nonPoor', 'correct')).toBe(true);
  });
});

describe('rates and their Wilson score interval', () => {
  /*
   * By hand, 3 of 40 at 95 % (z = 1.959964, z² = 3.841459):
   *   p = 3/40 = 0.075                                  → 7.50 %
   *   z²/n = 3.841459/40 = 0.0960365; 1 + z²/n = 1.0960365
   *   centre = (p + z²/2n) / (1 + z²/n) = (0.075 + 0.0480182) / 1.0960365 = 0.1230182 / 1.0960365 = 0.1122392
   *   p(1−p)/n = 0.075 × 0.925 / 40 = 0.0017344; z²/4n² = 3.841459 / 6400 = 0.0006002
   *   half = z / 1.0960365 × √(0.0017344 + 0.0006002) = 1.7882283 × √0.0023346 = 1.7882283 × 0.0483178 = 0.0864032
   *   interval = 0.1122392 ∓ 0.0864032 = [0.0258360, 0.1986424] → 2.58 % – 19.86 %
   */
  it('matches the hand-computed 3 of 40', () => {
    const ci = wilsonInterval(3, 40)!;
    expect(ci.lower).toBeCloseTo(0.025836, 5);
    expect(ci.upper).toBeCloseTo(0.198642, 5);
    expect(formatPercent(3 / 40)).toBe('7.50%');
    expect(formatPercent(ci.lower)).toBe('2.58%');
    expect(formatPercent(ci.upper)).toBe('19.86%');
  });

  /*
   * 0 of 20: p = 0; z²/n = 0.1920729; centre = (0 + 0.0960365) / 1.1920729 = 0.0805626;
   * half = 1.959964 / 1.1920729 × √(0 + 3.841459/1600) = 1.6441719 × 0.0489990 = 0.0805628 → [0, 0.1611254]:
   * no error found still leaves up to 16.11 %.
   */
  it('is not empty when nothing is found (0 of 20 → 0.00 % – 16.11 %)', () => {
    const ci = wilsonInterval(0, 20)!;
    expect(ci.lower).toBe(0);
    expect(ci.upper).toBeCloseTo(0.161125, 5);
  });

  it('has no interval before a visit', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
    expect(formatPercent(null)).toBe('—');
  });

  it('computes 错评率 over visited poor households and 漏评率 over visited non-poor ones', () => {
    const rows: { stratum: Stratum; finding: Finding | null }[] = [
      ...Array.from({ length: 37 }, () => ({ stratum: 'poor' as const, finding: 'correct' as const })),
      ...Array.from({ length: 3 }, () => ({ stratum: 'poor' as const, finding: 'shouldExclude' as const })),
      ...Array.from({ length: 5 }, () => ({ stratum: 'poor' as const, finding: null })), // drawn, not yet visited
      ...Array.from({ length: 18 }, () => ({ stratum: 'nonPoor' as const, finding: 'correct' as const })),
      ...Array.from({ length: 2 }, () => ({ stratum: 'nonPoor' as const, finding: 'missing' as const })),
    ];
    const r = computeRates(rows);
    expect(r.wrongInclusion).toMatchObject({ found: 3, visited: 40, drawn: 45, rate: 0.075 });
    expect(r.wrongInclusion.lower).toBeCloseTo(0.025836, 5);
    expect(r.wrongInclusion.upper).toBeCloseTo(0.198642, 5);
    // 2 of 20 = 10.00 %; by hand: centre = (0.1 + 0.0960365)/1.1920729 = 0.1644502,
    // half = 1.6441719 × √(0.0045 + 0.0024009) = 1.6441719 × 0.0830716 = 0.1365840 → [2.79 %, 30.10 %].
    expect(r.wrongExclusion).toMatchObject({ found: 2, visited: 20, drawn: 20, rate: 0.1 });
    expect(formatPercent(r.wrongExclusion.lower)).toBe('2.79%');
    expect(formatPercent(r.wrongExclusion.upper)).toBe('30.10%');
  });
});

describe('relative-poverty lines', () => {
  it('is the line itself, or share × median to the fen', () => {
    expect(effectiveLine({ method: 'absolute', line: 4000, share: null }, null)).toBe(4000);
    expect(effectiveLine({ method: 'medianShare', line: null, share: 0.4 }, 10_000.5)).toBe(4000.2);
    expect(effectiveLine({ method: 'medianShare', line: null, share: 0.4 }, null)).toBeNull();
  });

  it('asks for the line or the share the method needs', () => {
    const a = relativeStandardBody.safeParse({ areaCode: '430181000000', year: 2025, method: 'absolute' });
    expect(a.success).toBe(false);
    expect(a.error!.issues.map((i) => i.path)).toContainEqual(['line']);
    const m = relativeStandardBody.safeParse({ areaCode: '430181000000', year: 2025, method: 'medianShare', share: 1.5 });
    expect(m.error!.issues.map((i) => i.path)).toContainEqual(['share']);
    expect(relativeStandardBody.safeParse({ areaCode: '430181000000', year: 2025, method: 'medianShare', share: 0.4 }).success).toBe(true);
  });
});
