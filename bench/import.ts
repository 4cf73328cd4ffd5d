/**
 * `npm run bench -- import`: the import at scale (issue 4). Generates BENCH_IMPORT_HOUSEHOLDS (default
 * 250,000; ~3.35 members each, so ~1,000,000 rows) synthetic households of 浏阳市 as a national person
 * list, .xlsx and CSV (writeDemoPersonList), plus the same member rows as COPY text lines, once, into a
 * temporary folder. Then it measures, per file format and database:
 *
 *   parse-raw    parse alone: readSpreadsheet streaming the file, counting rows (the raw read);
 *   parse-group  the same plus detectHeader and the cell reading and grouping of person-list.ts
 *                (PersonRowGrouper, in chunks cut between households so that memory stays bounded);
 *   copy         a bare COPY of the same member rows (their first 20 columns as COPY text lines, from a
 *                file) into a plain 20-column table: PGlite `COPY … FROM '/dev/blob'` in batches of
 *                ~16 MB, PostgreSQL `COPY … FROM STDIN` through pg-copy-streams;
 *   import       runImport (commit-valid, update existing, encoding auto) into a fresh database holding
 *                only the areas. A million rows make a file larger than the readers' default limits
 *                (100 MB; 1 GB uncompressed for .xlsx): parse and import lift them.
 *
 * Every phase (and the generation) runs in a fresh child process of its own — `node --import tsx
 * bench/import.ts` with BENCH_IMPORT_PHASE=generate|parse-raw|parse-group|copy|import and the file
 * (BENCH_IMPORT_FILE), database (BENCH_IMPORT_DATABASE=pglite|postgresql) or folder (BENCH_IMPORT_DIR)
 * in its environment — because memory a phase allocated is not given back to the OS: in one process a
 * later phase's peak would start from an earlier phase's high-water mark. The child does that phase
 * alone and prints one JSON line (`bench-import-result {…}`: its value, ms, the RSS sampled every 50 ms
 * at the start and peak of the phase, and maxRSS, the process's peak from process.resourceUsage());
 * its other output (progress lines) is passed through. maxRSS covers the whole child, database opening
 * and module loading included, and is what the memory bar (< 1.5 GB) is checked against.
 *
 * It prints rows/s of each, the import's time ÷ parse, ÷ (parse + COPY) — the issue's bar is ≤ 2× —
 * and ÷ max(parse, COPY), and each phase's peak memory. A PGlite database is a fresh data folder per
 * phase (opened before the phase's clock starts, closed after); PostgreSQL a throwaway database
 * `fupin_bench_<pid>` created per phase and dropped after, on BENCH_DATABASE_URL, else TEST_DATABASE_URL,
 * else postgres://postgres@127.0.0.1:5432/test. BENCH_DATABASES=pglite,postgresql (default both) chooses
 * the databases. Expect several minutes at the default size on two cores (progress lines are printed);
 * BENCH_IMPORT_HOUSEHOLDS=2000 for a quick look.
 */
import fs from 'node:fs';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { openPglite, openPostgres, sql, type Database } from '../src/platform/db.ts';
import { SYSTEM_ACTOR } from '../src/platform/auth.ts';
import { importAreas } from '../src/modules/areas/index.ts';
import { generateHouseholds } from '../src/modules/households/index.ts';
import { loadDemoFileVillages, writeDemoPersonList, type DemoFileVillage } from '../src/modules/exchange/demo-file.ts';
import { memberRowCells, type Cell } from '../src/modules/exchange/export.ts';
import { DEFAULT_READER_LIMITS, readSpreadsheet, type ReaderLimits } from '../src/modules/exchange/readers.ts';
import { detectHeader } from '../src/modules/exchange/headers.ts';
import { PersonRowGrouper, SeenIds } from '../src/modules/exchange/person-list.ts';
import type { CellValue } from '../src/modules/exchange/cells.ts';
import type { ImportProgress } from '../src/modules/exchange/contract.ts';
import { runImport } from '../src/modules/exchange/import.ts';
import { dropDatabase } from './pg.ts';

const HOUSEHOLDS = Number(process.env.BENCH_IMPORT_HOUSEHOLDS ?? 250_000);
const DATABASES = (process.env.BENCH_DATABASES ?? 'pglite,postgresql').split(',').map((s) => s.trim());
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const SEED = 2026;
const YEAR = 2026;
const COUNTY = '430181';
const FORMATS = ['xlsx', 'csv'] as const;
type Format = (typeof FORMATS)[number];
type Kind = 'pglite' | 'postgresql';

const MB = 2 ** 20;
const RSS_BAR_MB = 1536;
const RATIO_BAR = 2;
/** The bench reads files bigger than the readers' defaults allow (a million rows is > 100 MB), in (a) and (c) alike: no limit but the rows. */
const BENCH_LIMITS: ReaderLimits = { maxBytes: 2 ** 40, maxRows: 10_000_000, maxUncompressedBytes: 2 ** 40 };
/** COPY columns: the member list's first 20 (areas, 户编号, person, relation … employment). */
const COPY_COLUMNS = 20;

// ---------------------------------------------------------------------------------------------
// Measuring

interface Measured<T> {
  value: T;
  ms: number;
  /** RSS high-water mark during the phase (sampled every 50 ms), MB. */
  peakMb: number;
  /** RSS when the phase started, MB. */
  startMb: number;
}

/** What a phase's child process reports: the phase measured, and its process's peak RSS (maxRSS, MB) at the end. */
interface PhaseResult<T> extends Measured<T> {
  maxRssMb: number;
}

async function measure<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  const startMb = process.memoryUsage().rss / MB;
  let peak = startMb;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss / MB);
  }, 50);
  const t0 = performance.now();
  try {
    const value = await fn();
    const ms = performance.now() - t0;
    peak = Math.max(peak, process.memoryUsage().rss / MB);
    return { value, ms, peakMb: peak, startMb };
  } finally {
    clearInterval(timer);
  }
}

const fmtRate = (rows: number, ms: number) => `${Math.round((rows / ms) * 1000).toLocaleString('en-US')} rows/s`;
const fmtS = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fmtMb = (r: PhaseResult<unknown>) => `peak RSS ${Math.round(r.maxRssMb)} MB (sampled in the phase: ${Math.round(r.startMb)} MB at its start, ${Math.round(r.peakMb)} MB peak)`;
const barMb = (mb: number) => `[bar < ${RSS_BAR_MB} MB: ${mb < RSS_BAR_MB ? 'met' : 'NOT met'}]`;
const log = (s: string) => process.stdout.write(`${s}\n`);

/** Prints "… n rows" at most every `every` units. */
function progress(label: string, every: number): (n: number) => void {
  let last = 0;
  return (n) => {
    if (n - last >= every) {
      last = n;
      log(`    ${label} ${n.toLocaleString('en-US')} (rss ${Math.round(process.memoryUsage().rss / MB)} MB)`);
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Databases

let dbCounter = 0;

/** A fresh database of `kind` for one phase: migrated with the areas (`withAreas`) or empty; closed and removed after. */
async function withDatabase<T>(kind: Kind, withAreas: boolean, fn: (database: Database) => Promise<T>): Promise<T> {
  if (kind === 'pglite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-bench-import-db-'));
    const database = await openPglite(dir);
    try {
      if (withAreas) {
        await database.migrate();
        await importAreas(database.db, SYSTEM_ACTOR, COUNTY);
      }
      return await fn(database);
    } finally {
      await database.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const name = `fupin_bench_${process.pid}${dbCounter++ ? `_${dbCounter}` : ''}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(PG_URL);
    url.pathname = `/${name}`;
    const database = await openPostgres(url.toString());
    try {
      if (withAreas) {
        await database.migrate();
        await importAreas(database.db, SYSTEM_ACTOR, COUNTY);
      }
      return await fn(database);
    } finally {
      await database.close();
      await dropDatabase(admin, name);
    }
  } finally {
    await admin.end();
  }
}

async function postgresReachable(): Promise<string | null> {
  const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    const r = await c.query<{ server_version: string }>('SHOW server_version');
    return r.rows[0]!.server_version;
  } catch {
    return null;
  } finally {
    await c.end().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Parse alone (phases parse-raw, parse-group)

/** The raw read: every row of every sheet, counted. */
async function parseRaw(file: string): Promise<number> {
  let rows = 0;
  const tick = progress('read', 250_000);
  for await (const sheet of readSpreadsheet({ path: file, fileName: path.basename(file), encoding: 'auto' }, BENCH_LIMITS)) {
    for await (const _ of sheet.rows) tick(++rows);
  }
  return rows;
}

/**
 * The read with the person list's own work: detectHeader on the first rows, then every cell read and
 * every household formed and checked by PersonRowGrouper, in chunks of ≥ 10,000 rows cut where 户编号
 * changes (the file lists a household's members together); ID numbers checked across the whole file.
 */
async function parseAndGroup(file: string): Promise<{ rows: number; households: number; errors: number }> {
  const out = { rows: 0, households: 0, errors: 0 };
  const tick = progress('read and grouped', 250_000);
  for await (const sheet of readSpreadsheet({ path: file, fileName: path.basename(file), encoding: 'auto' }, BENCH_LIMITS)) {
    const top: { sheetRow: number; cells: CellValue[] }[] = [];
    const seenIds = new SeenIds();
    let grouper: PersonRowGrouper | undefined;
    let noIndex = -1;
    let lastNo: unknown;
    let inChunk = 0;
    const flush = () => {
      const r = grouper!.finish();
      out.households += r.households.length;
      out.errors += r.problems.filter((p) => p.severity === 'error').length;
      inChunk = 0;
    };
    const add = (row: { sheetRow: number; cells: CellValue[] }) => {
      const no = row.cells[noIndex];
      if (inChunk >= 10_000 && no !== lastNo) flush();
      lastNo = no;
      grouper!.add(row.cells, row.sheetRow);
      inChunk++;
      tick(++out.rows);
    };
    for await (const row of sheet.rows) {
      if (grouper) {
        add(row);
        continue;
      }
      top.push(row);
      if (top.length < 20) continue;
      let dataStart: number;
      ({ grouper, noIndex, dataStart } = startGrouping(top, sheet.name, seenIds));
      for (const r of top.slice(dataStart)) add(r);
    }
    if (!grouper && top.length) {
      let dataStart: number;
      ({ grouper, noIndex, dataStart } = startGrouping(top, sheet.name, seenIds));
      for (const r of top.slice(dataStart)) add(r);
    }
    if (grouper) flush();
  }
  return out;
}

function startGrouping(top: { sheetRow: number; cells: CellValue[] }[], sheet: string, seenIds: SeenIds) {
  const rows: CellValue[][] = [];
  for (const r of top) {
    while (rows.length < r.sheetRow - 1) rows.push([]);
    rows[r.sheetRow - 1] = r.cells;
  }
  const header = detectHeader(rows);
  if (header.headerRowIndex < 0 || header.missingRequired.length) throw new Error(`header not recognised: ${JSON.stringify(header.problems)}`);
  const dataStart = top.findIndex((r) => r.sheetRow - 1 >= header.dataStartIndex);
  return {
    grouper: new PersonRowGrouper(header, sheet, seenIds),
    noIndex: header.columns.find((c) => c.field.key === 'householdNo')?.index ?? -1,
    dataStart: dataStart < 0 ? top.length : dataStart,
  };
}

// ---------------------------------------------------------------------------------------------
// Bare COPY (phase copy)

const COPY_TABLE = `CREATE TABLE bench_copy (
  county text, township text, village text, group_name text, area_code text, household_no text, name text, id_number text,
  id_type text, member_count integer, relation text, sex text, birth_date date, ethnicity text, political_status text,
  education text, schooling text, health text, labour_ability text, employment text)`;

function copyField(c: Cell): string {
  if (c === null) return '\\N';
  if (c instanceof Date) return c.toISOString().slice(0, 10);
  if (typeof c === 'number') return String(c);
  return c.replace(/[\\\t\n\r]/g, (x) => (x === '\\' ? '\\\\' : x === '\t' ? '\\t' : x === '\n' ? '\\n' : '\\r'));
}

/** The files' member rows (same generator options), their first 20 cells as COPY text lines, into `file`. */
async function writeCopyLines(file: string, villages: readonly DemoFileVillage[]): Promise<{ rows: number; bytes: number }> {
  const areas = new Map(villages.map((v) => [v.code, { county: v.county, township: v.township, village: v.name }]));
  const out = fs.createWriteStream(file);
  let rows = 0;
  let buf = '';
  for (const { household, members } of generateHouseholds({ seed: SEED, count: HOUSEHOLDS, year: YEAR, villages, nextSeq: new Map(villages.map((v) => [v.code, 1])) })) {
    for (const m of members) {
      buf += memberRowCells(household, m, areas.get(household.areaCode)!, true).slice(0, COPY_COLUMNS).map(copyField).join('\t') + '\n';
      rows++;
    }
    if (buf.length > 1_000_000) {
      if (!out.write(buf)) await new Promise<void>((r) => out.once('drain', () => r()));
      buf = '';
    }
  }
  await new Promise<void>((resolve, reject) => out.end(buf, () => resolve()).once('error', reject));
  return { rows, bytes: fs.statSync(file).size };
}

/** COPYs the lines of `file` into bench_copy: PostgreSQL streaming through pg-copy-streams, PGlite in ~16 MB blobs. */
async function copyFile(database: Database, file: string): Promise<number> {
  const client = (database.db as unknown as { $client: PGlite | pg.Pool }).$client;
  if (client instanceof pg.Pool) {
    const conn = await client.connect();
    try {
      const stream = conn.query(copyFrom('COPY bench_copy FROM STDIN'));
      await pipeline(createReadStream(file, { highWaterMark: 1 * MB }), stream);
      return Number(stream.rowCount);
    } finally {
      conn.release();
    }
  }
  const lite = client as PGlite;
  let rows = 0;
  let pending: Buffer[] = [];
  let size = 0;
  const send = async (chunks: Buffer[]) => {
    if (!chunks.length) return;
    const res = await lite.query("COPY bench_copy FROM '/dev/blob'", [], { blob: new Blob(chunks as unknown as BlobPart[]) });
    rows += res.affectedRows ?? 0;
  };
  for await (const chunk of createReadStream(file, { highWaterMark: 1 * MB }) as AsyncIterable<Buffer>) {
    const cut = chunk.lastIndexOf(0x0a);
    if (size + chunk.length < 16 * MB || cut < 0) {
      pending.push(chunk);
      size += chunk.length;
      continue;
    }
    pending.push(chunk.subarray(0, cut + 1));
    await send(pending);
    pending = [chunk.subarray(cut + 1)];
    size = pending[0]!.length;
  }
  await send(pending);
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Generation and the import (phases generate, import)

interface Generated {
  villages: number;
  files: { format: Format; file: string; households: number; rows: number; bytes: number; ms: number }[];
  copyLines: { file: string; rows: number; bytes: number; ms: number };
}

/** The person lists (.xlsx, CSV) and the COPY lines, into `dir`. */
async function generate(dir: string): Promise<Generated> {
  // The villages with their names, from the areas as the demo imports them.
  const villages = await withDatabase('pglite', true, (d) => loadDemoFileVillages(d.db, COUNTY));
  const files: Generated['files'] = [];
  for (const format of FORMATS) {
    const file = path.join(dir, `人员名单-浏阳市-${HOUSEHOLDS}.${format}`);
    const t0 = performance.now();
    const r = await writeDemoPersonList(file, { format, count: HOUSEHOLDS, seed: SEED, year: YEAR, villages, onProgress: progress(`${format}: households written`, 50_000) });
    files.push({ format, file, households: r.households, rows: r.rows, bytes: r.bytes, ms: performance.now() - t0 });
  }
  const file = path.join(dir, 'members.copy');
  const t0 = performance.now();
  const lines = await writeCopyLines(file, villages);
  return { villages: villages.length, files, copyLines: { file, ...lines, ms: performance.now() - t0 } };
}

/** The import's figures the bench prints (the outcome itself holds every problem and is not sent back whole). */
type Imported =
  | { ok: true; rows: number; households: number; created: number; updated: number; rejected: number; errors: number; warnings: number; committed: boolean; readMs: number; writeMs: number }
  | { ok: false; code: string; message: string };

/** runImport of `file` into a fresh database of `kind` with the areas; only runImport is timed. */
async function importFile(kind: Kind, file: string): Promise<Measured<Imported>> {
  return withDatabase(kind, true, (d) => {
    let lastPhase = '';
    let lastPercent = -10;
    const onProgress = (p: ImportProgress) => {
      if (p.phase !== lastPhase || p.percent - lastPercent >= 10) {
        lastPhase = p.phase;
        lastPercent = p.percent;
        log(`    ${p.phase} ${Math.round(p.percent)} %: ${p.rows.toLocaleString('en-US')} rows (rss ${Math.round(process.memoryUsage().rss / MB)} MB)`);
      }
    };
    return measure(() =>
      runImport(d.db, SYSTEM_ACTOR, { path: file, fileName: path.basename(file) }, { mode: 'commit-valid', onExisting: 'update', encoding: 'auto', limits: BENCH_LIMITS, onProgress }).then(
        (s): Imported => ({
          ok: true,
          rows: s.rows,
          households: s.households,
          created: s.created,
          updated: s.updated,
          rejected: s.rejected,
          errors: s.errors,
          warnings: s.warnings,
          committed: s.committed,
          readMs: s.ms.read,
          writeMs: s.ms.write,
        }),
        (e: unknown): Imported => {
          const err = e as { code?: string; message?: string };
          return { ok: false, code: err.code ?? '', message: err.message ?? String(e) };
        },
      ),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// One phase per child process

const PHASES = ['generate', 'parse-raw', 'parse-group', 'copy', 'import'] as const;
type Phase = (typeof PHASES)[number];
const PHASE_ENV = 'BENCH_IMPORT_PHASE';
const RESULT_PREFIX = 'bench-import-result ';
const THIS_FILE = fileURLToPath(import.meta.url);
const ROOT = path.resolve(path.dirname(THIS_FILE), '..');

/** In the child: runs `phase` alone, then prints its result line. */
async function childMain(phase: string): Promise<void> {
  const env = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  const kind = () => {
    const k = env('BENCH_IMPORT_DATABASE');
    if (k !== 'pglite' && k !== 'postgresql') throw new Error(`BENCH_IMPORT_DATABASE: pglite or postgresql, not ${k}`);
    return k;
  };
  let m: Measured<unknown>;
  switch (phase as Phase) {
    case 'generate':
      m = await measure(() => generate(env('BENCH_IMPORT_DIR')));
      break;
    case 'parse-raw':
      m = await measure(() => parseRaw(env('BENCH_IMPORT_FILE')));
      break;
    case 'parse-group':
      m = await measure(() => parseAndGroup(env('BENCH_IMPORT_FILE')));
      break;
    case 'copy':
      m = await withDatabase(kind(), false, async (d) => {
        await d.db.execute(sql.raw(COPY_TABLE));
        return measure(() => copyFile(d, env('BENCH_IMPORT_FILE')));
      });
      break;
    case 'import':
      m = await importFile(kind(), env('BENCH_IMPORT_FILE'));
      break;
    default:
      throw new Error(`${PHASE_ENV}: one of ${PHASES.join(', ')}, not ${phase}`);
  }
  // maxRSS: kilobytes on Linux and macOS.
  const result: PhaseResult<unknown> = { ...m, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  await new Promise<void>((resolve) => process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`, () => resolve()));
}

type Outcome<T> = { ok: true; r: PhaseResult<T> } | { ok: false; reason: string };

/** In the parent: runs `phase` in a fresh `node --import tsx bench/import.ts`, passing its other output through. */
async function inChild<T>(phase: Phase, env: Record<string, string>): Promise<Outcome<T>> {
  const child = spawn(process.execPath, ['--import', 'tsx', THIS_FILE], {
    cwd: ROOT,
    env: { ...process.env, BENCH_IMPORT_HOUSEHOLDS: String(HOUSEHOLDS), BENCH_DATABASE_URL: PG_URL, ...env, [PHASE_ENV]: phase },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let result: PhaseResult<T> | undefined;
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line.startsWith(RESULT_PREFIX)) result = JSON.parse(line.slice(RESULT_PREFIX.length)) as PhaseResult<T>;
    else log(line);
  });
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (code === 0 && result) return { ok: true, r: result };
  return { ok: false, reason: signal ? `killed by ${signal}` : code !== 0 ? `exit code ${code}` : 'no result line' };
}

// ---------------------------------------------------------------------------------------------
// The run (the parent: starts the children, prints their figures)

export async function benchImport(): Promise<void> {
  log(`fupin bench — import (${HOUSEHOLDS.toLocaleString('en-US')} households of 浏阳市, seed ${SEED}; databases: ${DATABASES.join(', ')}; each phase in its own process)`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-bench-import-'));
  try {
    await run(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function run(dir: string): Promise<void> {
  log(`\nfiles (in ${dir})`);
  const gen = await inChild<Generated>('generate', { BENCH_IMPORT_DIR: dir });
  if (!gen.ok) throw new Error(`generating the files failed (${gen.reason})`);
  const { files, copyLines } = gen.r.value;
  for (const f of files) {
    log(`  ${f.format}: ${f.households.toLocaleString('en-US')} households, ${f.rows.toLocaleString('en-US')} rows, ${(f.bytes / MB).toFixed(1)} MB, written in ${fmtS(f.ms)} (${fmtRate(f.rows, f.ms)})`);
    if (f.bytes > DEFAULT_READER_LIMITS.maxBytes) {
      log(`    note: larger than the readers' default limit of ${DEFAULT_READER_LIMITS.maxBytes / MB} MB (parse and import here read without size limits)`);
    }
  }
  log(`  COPY lines: ${copyLines.rows.toLocaleString('en-US')} rows × ${COPY_COLUMNS} columns, ${(copyLines.bytes / MB).toFixed(1)} MB, written in ${fmtS(copyLines.ms)}`);
  log(`  (${gen.r.value.villages} villages; generation ${fmtS(gen.r.ms)}, ${fmtMb(gen.r)}; not held to the bar)`);

  /** Each measured phase's peak memory, for the summary. */
  const memory: { phase: string; mb: number | null }[] = [];

  log('\nparse alone (no database)');
  const parseMs = new Map<Format, number>();
  for (const f of files) {
    const raw = await inChild<number>('parse-raw', { BENCH_IMPORT_FILE: f.file });
    memory.push({ phase: `parse ${f.format} (raw read)`, mb: raw.ok ? raw.r.maxRssMb : null });
    if (!raw.ok) log(`  ${f.format} read (readSpreadsheet): FAILED (${raw.reason})`);
    else {
      parseMs.set(f.format, raw.r.ms);
      log(`  ${f.format} read (readSpreadsheet): ${raw.r.value.toLocaleString('en-US')} rows (header included) in ${fmtS(raw.r.ms)} = ${fmtRate(raw.r.value, raw.r.ms)}; ${fmtMb(raw.r)} ${barMb(raw.r.maxRssMb)}`);
    }
    const grouped = await inChild<{ rows: number; households: number; errors: number }>('parse-group', { BENCH_IMPORT_FILE: f.file });
    memory.push({ phase: `parse ${f.format} + grouping`, mb: grouped.ok ? grouped.r.maxRssMb : null });
    if (!grouped.ok) log(`  ${f.format} read + detectHeader + cells + grouping: FAILED (${grouped.reason})`);
    else {
      const g = grouped.r.value;
      const vsRaw = raw.ok ? ` (×${(grouped.r.ms / raw.r.ms).toFixed(2)} the raw read)` : '';
      log(
        `  ${f.format} read + detectHeader + cells + grouping: ${g.rows.toLocaleString('en-US')} rows, ${g.households.toLocaleString('en-US')} households, ${g.errors} errors in ${fmtS(grouped.r.ms)} = ${fmtRate(g.rows, grouped.r.ms)}${vsRaw}; ${fmtMb(grouped.r)} ${barMb(grouped.r.maxRssMb)}`,
      );
    }
  }

  const summary: string[] = [];
  const ratio = (x: number | undefined) => (x === undefined ? '—' : `×${x.toFixed(2)}`);
  for (const kind of DATABASES as Kind[]) {
    let label: string;
    if (kind === 'postgresql') {
      const version = await postgresReachable();
      if (!version) {
        log(`\nPostgreSQL: skipped (${PG_URL.replace(/:[^:@/]*@/, ':***@')} not reachable; set BENCH_DATABASE_URL)`);
        continue;
      }
      label = `PostgreSQL ${version.split(' ')[0]}`;
    } else if (kind !== 'pglite') {
      log(`\n${kind}: unknown database (pglite, postgresql)`);
      continue;
    } else label = 'PGlite';

    log(`\n${label}`);
    const copy = await inChild<number>('copy', { BENCH_IMPORT_DATABASE: kind, BENCH_IMPORT_FILE: copyLines.file });
    memory.push({ phase: `${label}: bare COPY`, mb: copy.ok ? copy.r.maxRssMb : null });
    if (!copy.ok) log(`  bare COPY into a 20-column table: FAILED (${copy.reason})`);
    else log(`  bare COPY into a 20-column table: ${copy.r.value.toLocaleString('en-US')} rows in ${fmtS(copy.r.ms)} = ${fmtRate(copy.r.value, copy.r.ms)}; ${fmtMb(copy.r)} ${barMb(copy.r.maxRssMb)}`);
    const copyMs = copy.ok ? copy.r.ms : undefined;

    for (const f of files) {
      log(`  import ${f.format} (commit-valid, update existing) into a fresh database (areas only)`);
      const imported = await inChild<Imported>('import', { BENCH_IMPORT_DATABASE: kind, BENCH_IMPORT_FILE: f.file });
      memory.push({ phase: `${label}: import ${f.format}`, mb: imported.ok ? imported.r.maxRssMb : null });
      const s = imported.ok ? imported.r.value : undefined;
      if (!imported.ok || !s?.ok) {
        const why = !imported.ok ? imported.reason : s && !s.ok ? `${s.code} ${s.message}`.trim() : 'no result';
        log(`    FAILED${imported.ok ? ` after ${fmtS(imported.r.ms)}` : ''}: ${why}`);
        summary.push(`  ${label.padEnd(18)} ${f.format.padEnd(5)} import failed (${why})`);
        continue;
      }
      const ms = imported.r.ms;
      const pMs = parseMs.get(f.format);
      log(
        `    ${s.rows.toLocaleString('en-US')} rows, ${s.households.toLocaleString('en-US')} households: ${s.created} created, ${s.updated} updated, ${s.rejected} rejected, ${s.errors} errors, ${s.warnings} warnings; committed ${s.committed}` +
          ` (its own figures: read ${fmtS(s.readMs)}, write ${fmtS(s.writeMs)})`,
      );
      const vsParse = pMs === undefined ? undefined : ms / pMs;
      const vsBoth = pMs === undefined || copyMs === undefined ? undefined : ms / (pMs + copyMs);
      const vsMax = pMs === undefined || copyMs === undefined ? undefined : ms / Math.max(pMs, copyMs);
      const bar = vsBoth === undefined ? 'unknown' : vsBoth <= RATIO_BAR ? 'met' : 'NOT met';
      log(`    ${fmtS(ms)} = ${fmtRate(s.rows, ms)}; ${ratio(vsParse)} parse, ${ratio(vsBoth)} (parse + COPY) [bar ≤ ${RATIO_BAR}×: ${bar}], ${ratio(vsMax)} max(parse, COPY); ${fmtMb(imported.r)} ${barMb(imported.r.maxRssMb)}`);
      summary.push(
        `  ${label.padEnd(18)} ${f.format.padEnd(5)} ${String(s.rows).padStart(9)} ${(pMs === undefined ? '—' : fmtRate(f.rows, pMs)).padStart(16)} ${(copy.ok ? fmtRate(copy.r.value, copy.r.ms) : '—').padStart(16)} ${fmtRate(s.rows, ms).padStart(16)}` +
          ` ${ratio(vsParse).padStart(7)} ${ratio(vsBoth).padStart(7)} ${ratio(vsMax).padStart(7)} ${String(Math.round(imported.r.maxRssMb)).padStart(6)} MB`,
      );
    }
  }
  log(`\nsummary (parse = the raw read; the issue's bars: import ≤ ${RATIO_BAR}× (parse + COPY), peak RSS < ${RSS_BAR_MB} MB)`);
  log(`  ${'database'.padEnd(18)} ${'file'.padEnd(5)} ${'rows'.padStart(9)} ${'parse'.padStart(16)} ${'COPY'.padStart(16)} ${'import'.padStart(16)} ${'÷parse'.padStart(7)} ${'÷(p+C)'.padStart(7)} ${'÷max'.padStart(7)} ${'peak'.padStart(9)}`);
  for (const s of summary) log(s);
  log(`\npeak memory per phase (maxRSS of the phase's own process; bar < ${RSS_BAR_MB} MB)`);
  for (const m of memory) log(`  ${m.phase.padEnd(34)} ${m.mb === null ? '   failed' : `${String(Math.round(m.mb)).padStart(6)} MB  ${m.mb < RSS_BAR_MB ? 'met' : 'NOT met'}`}`);
}

// Started as a phase's child (`node --import tsx bench/import.ts` with BENCH_IMPORT_PHASE): that phase only.
if (process.env[PHASE_ENV] && process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  await childMain(process.env[PHASE_ENV]);
  process.exit(0);
}
