import { describe, expect, it } from 'vitest';
import { readDivisions, type DivisionRecord } from './import.ts';

const cache = new Map<string, Promise<DivisionRecord[]>>();
/** Reads the subtree once per root (the villages file is large). */
function collect(root: string): Promise<DivisionRecord[]> {
  if (!cache.has(root)) {
    cache.set(
      root,
      (async () => {
        const out: DivisionRecord[] = [];
        for await (const d of readDivisions(root)) out.push(d);
        return out;
      })(),
    );
  }
  return cache.get(root)!;
}

describe('readDivisions for 浏阳市 (430181)', () => {
  it('yields the root, its ancestors and its subtree: 1 province, 1 city, 1 county, 32 townships, 326 villages', async () => {
    const records = await collect('430181');
    const count = (level: string) => records.filter((r) => r.level === level).length;
    expect({ province: count('province'), city: count('city'), county: count('county'), township: count('township'), village: count('village') }).toEqual({
      province: 1,
      city: 1,
      county: 1,
      township: 32,
      village: 326,
    });
    expect(records.find((r) => r.level === 'province')).toEqual({ code: '430000000000', name: '湖南省', level: 'province', parentCode: null });
    expect(records.find((r) => r.level === 'city')).toEqual({ code: '430100000000', name: '长沙市', level: 'city', parentCode: '430000000000' });
    expect(records.find((r) => r.level === 'county')).toEqual({ code: '430181000000', name: '浏阳市', level: 'county', parentCode: '430100000000' });
  }, 30_000);

  it('gives twelve-digit codes, each unique, each under its parent, parents before children', async () => {
    const records = await collect('430181');
    const seen = new Set<string>();
    for (const r of records) {
      expect(r.code).toMatch(/^\d{12}$/);
      expect(seen.has(r.code)).toBe(false);
      if (r.parentCode) expect(seen.has(r.parentCode), `${r.code}'s parent ${r.parentCode} came first`).toBe(true);
      seen.add(r.code);
    }
    for (const r of records.filter((x) => x.level === 'township' || x.level === 'village')) expect(r.code.startsWith('430181')).toBe(true);
    expect(records.find((r) => r.code === '430181125000')?.name).toBe('大围山镇');
  }, 30_000);

  it('keeps two villages both named 合盛村 under different townships apart by code', async () => {
    const hesheng = (await collect('430181')).filter((r) => r.name === '合盛村');
    expect(hesheng).toHaveLength(2);
    expect(hesheng[0]!.code).not.toBe(hesheng[1]!.code);
    expect(hesheng[0]!.parentCode).not.toBe(hesheng[1]!.parentCode);
    for (const v of hesheng) expect(v.code.startsWith(v.parentCode!.slice(0, 9))).toBe(true);
  }, 30_000);

  it('leaves out sibling counties: nothing of 宁乡市 (430182)', async () => {
    const records = await collect('430181');
    expect(records.some((r) => r.code.startsWith('430182'))).toBe(false);
  }, 30_000);
});
