/**
 * Demo import files: synthetic households (the registry's demo generator) written as the national
 * person list (全国人员名单: one row per member, the member export's columns, labels and cell rules),
 * as .xlsx or CSV, for trying the import and for the import bench (250,000 households, ~1,000,000
 * rows). Synthetic people only: names and ID numbers are made up.
 *
 * The rows come from `generateHouseholds` (same seed, count, villages and year → the same file) and go
 * through export.ts's own row builder and writers, so that a demo file reads exactly like a full
 * member export: 户编号, ID numbers, phones and accounts as text cells, dates as dates, codes as their
 * Chinese labels.
 */
import fs from 'node:fs';
import { stat } from 'node:fs/promises';
import { rowsOf, sql, type DbOrTx } from '../../platform/db.ts';
import { generateHouseholds } from '../households/index.ts';
import { csvSheetWriter, MEMBER_COLUMNS, memberRowCells, xlsxSheetWriter, type RowAreaNames, type SheetWriter } from './export.ts';

/** A village of the generated file, with the names of its township and county (the file's area columns). */
export interface DemoFileVillage {
  /** 12-digit village code. */
  code: string;
  name: string;
  township: string;
  county: string;
  /** Relative share of the households (default 1). */
  weight?: number;
}

export interface DemoPersonListOptions {
  format: 'xlsx' | 'csv';
  /** Households to generate (~3.35 members each). */
  count: number;
  seed: number;
  /** The registry year of the generator (ages on 1 January of it; incomes of the years before). */
  year: number;
  villages: readonly DemoFileVillage[];
  /** ID numbers not to give out (already in the registry). */
  takenIdNumbers?: ReadonlySet<string>;
  /**
   * Added to each village's 4-digit 户编号 sequence (default 0: …0001, …0002). A registry whose villages
   * already hold households 0001… would match them by 户编号; 5000 starts the file at …5001.
   */
  householdNoOffset?: number;
  /** Households written so far (every 1,000 and at the end). */
  onProgress?: (households: number) => void;
}

export interface DemoPersonListResult {
  households: number;
  /** Data rows (members), the header not counted. */
  rows: number;
  /** Size of the written file. */
  bytes: number;
}

/** Households between two waits for the output (bounded memory however many rows). */
const DRAIN_EVERY = 200;
const PROGRESS_EVERY = 1000;

/**
 * Writes `count` synthetic households (generateHouseholds with this seed and year) as a national person
 * list to `path`: one row per member in the member export's columns and labels (县(市、区、旗), 乡(镇),
 * 行政村, 区划代码, 户编号, 姓名, 证件号码 …), ID numbers, phones and accounts in full. `.xlsx` through
 * exceljs's streaming writer (IDs as text cells, strings inline), or CSV in UTF-8
 * with a BOM. Streams: memory stays bounded for a million rows.
 * @throws RangeError for a householdNoOffset outside 0–9998, no villages, or a village out of 户编号
 */
export async function writeDemoPersonList(path: string, opts: DemoPersonListOptions): Promise<DemoPersonListResult> {
  const offset = opts.householdNoOffset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > 9998) throw new RangeError(`householdNoOffset must be an integer 0–9998, not ${offset}`);
  const areas = new Map<string, RowAreaNames>(opts.villages.map((v) => [v.code, { county: v.county, township: v.township, village: v.name }]));
  const generated = generateHouseholds({
    seed: opts.seed,
    count: opts.count,
    year: opts.year,
    villages: opts.villages.map((v) => ({ code: v.code, name: v.name, weight: v.weight ?? 1 })),
    nextSeq: new Map(opts.villages.map((v) => [v.code, offset + 1])),
    ...(opts.takenIdNumbers ? { takenIdNumbers: opts.takenIdNumbers } : {}),
  });

  const stream = fs.createWriteStream(path);
  const failed = new Promise<never>((_, reject) => stream.once('error', reject));
  failed.catch(() => {}); // observed below; never an unhandled rejection
  const writer: SheetWriter =
    opts.format === 'xlsx' ? xlsxSheetWriter(stream, MEMBER_COLUMNS, '人员名单') : csvSheetWriter(stream, MEMBER_COLUMNS, 'utf-8');
  let households = 0;
  let rows = 0;
  try {
    for (const { household, members } of generated) {
      const area = areas.get(household.areaCode)!;
      for (const m of members) {
        writer.add(memberRowCells(household, m, area, true));
        rows++;
      }
      households++;
      if (households % DRAIN_EVERY === 0) await Promise.race([writer.drain(), failed]);
      if (households % PROGRESS_EVERY === 0) opts.onProgress?.(households);
    }
    await Promise.race([writer.finish(), failed]);
  } catch (e) {
    stream.destroy();
    throw e;
  }
  await new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once('close', () => resolve())));
  if (households % PROGRESS_EVERY !== 0) opts.onProgress?.(households);
  return { households, rows, bytes: (await stat(path)).size };
}

/**
 * The current villages of a county with the names of their township and county, read from the areas
 * table through the parent chain (village → township → county), in code order. As the demo does, every
 * 12th village (the 6th, 18th, …) weighs 4: the demo's poor villages get more households.
 * @param countyCode 6- or 12-digit county code (e.g. 430181, 浏阳市)
 */
export async function loadDemoFileVillages(db: DbOrTx, countyCode: string): Promise<DemoFileVillage[]> {
  const code12 = countyCode.length === 6 ? `${countyCode}000000` : countyCode;
  const rows = rowsOf<{ code: string; name: string; township: string; county: string }>(
    await db.execute(sql`
      SELECT v.code, v.name, t.name AS township, c.name AS county
        FROM areas v
        JOIN areas t ON t.code = v.parent_code AND t.level = 'township'
        JOIN areas c ON c.code = t.parent_code AND c.level = 'county'
       WHERE c.code = ${code12} AND v.level = 'village' AND v.valid_to IS NULL AND t.valid_to IS NULL
       ORDER BY v.code`),
  );
  return rows.map((r, i) => ({ code: r.code, name: r.name, township: r.township, county: r.county, weight: i % 12 === 5 ? 4 : 1 }));
}
