/**
 * Bulk loading with COPY, the fastest way into PostgreSQL: on PGlite `COPY … FROM '/dev/blob'` with the
 * rows as one Blob, on PostgreSQL `COPY … FROM STDIN` through pg-copy-streams. Rows are given as
 * values and written in COPY's text format (tab-separated, `\N` for null, backslash escapes).
 */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { pgTextArray, type Db } from './db.ts';

/** A value as COPY's text format takes it: null, text, number, boolean, Date, a text array, or JSON (object). */
export type CopyValue = string | number | boolean | Date | null | undefined | readonly string[] | Record<string, unknown>;

const SPECIAL = /[\\\t\n\r]/;
function escapeText(s: string): string {
  if (!SPECIAL.test(s)) return s;
  return s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

let lastDate: Date | null = null;
let lastIso = '';
/** ISO 8601 of a Date; the rows of one import share their timestamps, so the last one is remembered. */
function iso(d: Date): string {
  if (d !== lastDate) {
    lastDate = d;
    lastIso = d.toISOString();
  }
  return lastIso;
}

/** One value in COPY text format (escaped). Arrays become `{"a","b"}`, objects JSON, Dates ISO 8601. */
export function copyField(v: CopyValue): string {
  if (v === null || v === undefined) return '\\N';
  if (typeof v === 'string') return escapeText(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '\\N';
  if (typeof v === 'boolean') return v ? 't' : 'f';
  if (v instanceof Date) return iso(v);
  if (Array.isArray(v)) return escapeText(pgTextArray(v as readonly string[]));
  return escapeText(JSON.stringify(v));
}

/** One row as a COPY text line (with its newline). */
export function copyLine(values: readonly CopyValue[]): string {
  let s = '';
  for (let i = 0; i < values.length; i++) s += (i === 0 ? '' : '\t') + copyField(values[i]);
  return s + '\n';
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * Loads lines into a table with COPY (text format).
 * @param table a plain lower-case table name
 * @param columns its columns, in the order of each line's fields
 * @param lines COPY text lines, each ending with '\n' (see copyLine)
 * @returns the number of lines sent
 * @throws the database's error (e.g. a type or constraint error naming the line) — nothing of this COPY is kept
 */
export async function copyInto(db: Db, table: string, columns: readonly string[], lines: readonly string[]): Promise<number> {
  if (!IDENT.test(table) || !columns.every((c) => IDENT.test(c))) throw new Error(`copyInto: bad identifier in ${table}(${columns.join(',')})`);
  if (lines.length === 0) return 0;
  const client = (db as unknown as { $client: unknown }).$client;
  const cols = columns.map((c) => `"${c}"`).join(', ');
  if (client instanceof pg.Pool) {
    const conn = await client.connect();
    try {
      await copyOn(conn, table, cols, lines);
    } finally {
      conn.release();
    }
  } else {
    const lite = client as { query: (q: string, params: unknown[], opts: { blob: Blob }) => Promise<unknown> };
    await lite.query(`COPY ${table} (${cols}) FROM '/dev/blob'`, [], { blob: new Blob([lines.join('')]) });
  }
  return lines.length;
}

/** Joins lines into chunks of about 256 KB for the socket. */
function* chunks(lines: readonly string[]): Generator<string> {
  let buf = '';
  for (const l of lines) {
    buf += l;
    if (buf.length > 262_144) {
      yield buf;
      buf = '';
    }
  }
  if (buf) yield buf;
}

async function copyOn(conn: pg.PoolClient, table: string, cols: string, lines: readonly string[]): Promise<void> {
  const stream = conn.query(copyFromStdin(`COPY ${table} (${cols}) FROM STDIN`));
  await pipeline(Readable.from(chunks(lines)), stream);
}

/**
 * A PostgreSQL connection of its own holding one open transaction, for bulk loads that COPY straight
 * into their tables while the caller keeps working, and commit everything at once. Nothing is visible
 * to others before `commit`; a crash or `rollback` leaves the database as it was.
 */
export interface OpenTransaction {
  /** Drizzle over the connection: queries run inside the transaction (do not call `.transaction()` on it). */
  db: Db;
  /** COPY (text format) into a table, inside the transaction. */
  copy(table: string, columns: readonly string[], lines: readonly string[]): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/**
 * Opens a transaction on a connection of its own — PostgreSQL only (on PGlite, one connection, an open
 * transaction would hold up every other request: callers stage instead).
 * @returns the transaction, or null on PGlite
 */
export async function openTransaction(db: Db): Promise<OpenTransaction | null> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (!(client instanceof pg.Pool)) return null;
  const conn = await client.connect();
  let done = false;
  const end = async (statement: 'COMMIT' | 'ROLLBACK') => {
    if (done) return;
    done = true;
    try {
      await conn.query(statement);
    } finally {
      conn.release(statement === 'ROLLBACK');
    }
  };
  try {
    await conn.query('BEGIN');
  } catch (e) {
    conn.release(true);
    throw e;
  }
  return {
    db: drizzlePg({ client: conn }) as unknown as Db,
    copy: async (table, columns, lines) => {
      if (!IDENT.test(table) || !columns.every((c) => IDENT.test(c))) throw new Error(`copy: bad identifier in ${table}(${columns.join(',')})`);
      if (lines.length > 0) await copyOn(conn, table, columns.map((c) => `"${c}"`).join(', '), lines);
    },
    commit: () => end('COMMIT'),
    rollback: () => end('ROLLBACK'),
  };
}
