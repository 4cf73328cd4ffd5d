/**
 * Demo import files: 50 generated households written as .xlsx and as CSV read back through the import's
 * own readers and grouping (readSpreadsheetToArrays → detectHeader → groupPersonRows): every household,
 * one row per member, no errors; the same seed gives the same file; 户编号 offset and taken ID numbers.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectHeader } from './headers.ts';
import { groupPersonRows } from './person-list.ts';
import { readSpreadsheetToArrays } from './readers.ts';
import { EXPORT_HEADERS } from './export.ts';
import { writeDemoPersonList, type DemoFileVillage } from './demo-file.ts';

const VILLAGES: DemoFileVillage[] = [
  { code: '430181125201', name: '中岳村', township: '大围山镇', county: '浏阳市' },
  { code: '430181125202', name: '同心村', township: '大围山镇', county: '浏阳市', weight: 3 },
  { code: '430181001001', name: '城西社区', township: '淮川街道', county: '浏阳市' },
];
const base = { count: 50, seed: 7, year: 2026, villages: VILLAGES };

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fupin-demo-file-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readBack(path: string, fileName: string) {
  const [sheet] = await readSpreadsheetToArrays({ path, fileName });
  const header = detectHeader(sheet!.rows);
  return { rows: sheet!.rows, header, parsed: groupPersonRows(sheet!.rows, header) };
}

describe('writeDemoPersonList', () => {
  for (const format of ['xlsx', 'csv'] as const) {
    it(`${format}: 50 households read back through detectHeader and groupPersonRows without errors`, async () => {
      const path = join(dir, `demo.${format}`);
      const progress: number[] = [];
      const r = await writeDemoPersonList(path, { ...base, format, onProgress: (n) => progress.push(n) });
      expect(r.households).toBe(50);
      expect(r.rows).toBeGreaterThanOrEqual(50);
      expect(r.bytes).toBe((await readFile(path)).length);
      expect(progress.at(-1)).toBe(50);

      const { rows, header, parsed } = await readBack(path, `demo.${format}`);
      expect(rows[0]).toEqual([...EXPORT_HEADERS.members]);
      expect(header.missingRequired).toEqual([]);
      expect(header.unknown).toEqual([]);
      expect(parsed.problems.filter((p) => p.severity === 'error')).toEqual([]);
      expect(parsed.households).toHaveLength(50);
      expect(parsed.rowCount).toBe(r.rows);
      expect(parsed.households.reduce((n, h) => n + h.members.length, 0)).toBe(r.rows);
      for (const h of parsed.households) {
        expect(h.rejected).toBe(false);
        expect(h.householdNo).toMatch(/^\d{16}$/);
        expect(h.householdNo!.slice(0, 12)).toBe(h.area.code);
        const v = VILLAGES.find((x) => x.code === h.area.code)!;
        expect(h.area).toMatchObject({ county: v.county, township: v.township, village: v.name });
        expect(h.members.filter((m) => m.values.relationToHead === 'head')).toHaveLength(1);
      }
      // ID numbers as text with all 18 characters (never a number in scientific notation).
      const idColumn = rows[0]!.indexOf('证件号码');
      for (const row of rows.slice(1)) expect(row[idColumn]).toMatch(/^\d{17}[\dX]$/);
    });
  }

  it('the same options give the same rows; householdNoOffset shifts 户编号; taken ID numbers are avoided', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    await writeDemoPersonList(a, { ...base, format: 'csv' });
    await writeDemoPersonList(b, { ...base, format: 'csv' });
    expect(await readFile(a)).toEqual(await readFile(b));

    const first = (await readBack(a, 'a.csv')).parsed;
    const taken = new Set(first.households.flatMap((h) => h.members.map((m) => m.values.idNumber!)));
    const c = join(dir, 'c.csv');
    await writeDemoPersonList(c, { ...base, format: 'csv', householdNoOffset: 5000, takenIdNumbers: taken });
    const shifted = (await readBack(c, 'c.csv')).parsed;
    expect(shifted.problems.filter((p) => p.severity === 'error')).toEqual([]);
    for (const h of shifted.households) {
      expect(Number(h.householdNo!.slice(12))).toBeGreaterThan(5000);
      for (const m of h.members) expect(taken.has(m.values.idNumber!)).toBe(false);
    }
    expect(shifted.households.map((h) => h.householdNo!.slice(12)).sort()[0]).toBe('5001');
    await expect(writeDemoPersonList(join(dir, 'd.csv'), { ...base, format: 'csv', householdNoOffset: 9999 })).rejects.toThrow(RangeError);
  });
});
