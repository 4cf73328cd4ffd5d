/**
 * The import's contracts: options, the summary a finished import returns (the job's result, the CLI's
 * output, the page's figures) and the problems it lists. Shared by the service, the routes, the CLI and
 * the import page. Counts of households are households (户), of members persons (人).
 */
import { z } from 'zod';

/**
 * - `commit-valid` (default): the valid households are written; the rejected ones come back as a file to fix and re-import.
 * - `all-or-nothing`: nothing is written when any household is rejected.
 * - `dry-run`: everything is checked (matching included), nothing is written.
 */
export const importMode = z.enum(['commit-valid', 'all-or-nothing', 'dry-run']);
export type ImportMode = z.infer<typeof importMode>;

/** What happens to a household already in the registry (same 户编号, or its members' ID numbers). */
export const onExisting = z.enum(['update', 'skip']);
export type OnExisting = z.infer<typeof onExisting>;

export const csvEncoding = z.enum(['auto', 'utf-8', 'gbk', 'gb18030']);

/**
 * How numbers in 致贫原因 columns are read: no single national numbering exists (codes.ts
 * POVERTY_CAUSE_NUMBERINGS), so 'none' (default) refuses a number and the user names the numbering
 * their file uses.
 */
export const causeNumbering = z.enum(['none', 'form2014', 'commonApp', 'national2017']);
export type CauseNumbering = z.infer<typeof causeNumbering>;

export const importOptions = z.object({
  mode: importMode.default('commit-valid'),
  onExisting: onExisting.default('update'),
  /** CSV only: 'auto' tells UTF-8 from GBK/GB18030 by the bytes. */
  encoding: csvEncoding.default('auto'),
  causeNumbering: causeNumbering.default('none'),
});
export type ImportOptions = z.infer<typeof importOptions>;

/** One problem of one cell, row or household, as the validation report shows it. */
export const rowProblemSchema = z.object({
  sheet: z.string(),
  /** 1-based row number as Excel shows it (0 for a problem of the sheet's header). */
  sheetRow: z.number().int(),
  /** The column's header text as in the file; '' for a problem of the whole row or household. */
  column: z.string(),
  value: z.string(),
  reason: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  messageEn: z.string(),
});
export type ImportProblem = z.infer<typeof rowProblemSchema>;

export const sheetSummarySchema = z.object({
  name: z.string(),
  /** 1-based row of the (last) header row; null when no header was found (the sheet is not read). */
  headerRow: z.number().int().nullable(),
  /** Data rows read (blank rows not counted). */
  rows: z.number().int(),
  unknownColumns: z.array(z.string()),
  missingColumns: z.array(z.string()),
});

/** The outcome of one import (the job's result). */
export const importSummarySchema = z.object({
  fileName: z.string(),
  mode: importMode,
  onExisting,
  sheets: z.array(sheetSummarySchema),
  /** Data rows read in all sheets (persons). */
  rows: z.number().int(),
  /** Households found in the file. */
  households: z.number().int(),
  /** Households written as new registrations (in a dry run: that would be). */
  created: z.number().int(),
  /** Existing households changed (in a dry run: that would be). */
  updated: z.number().int(),
  /** Existing households the file matches exactly: nothing to change. */
  unchanged: z.number().int(),
  /** Existing households left alone because onExisting = skip. */
  skipped: z.number().int(),
  /** Households not imported because of an error in any of their rows. */
  rejected: z.number().int(),
  /** Members added (persons), in new and existing households. */
  membersCreated: z.number().int(),
  /** Members whose fields changed (persons). */
  membersUpdated: z.number().int(),
  /** Rows of rejected households (the rejected-rows file's data rows). */
  rejectedRows: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  /** The first 1,000 problems in sheet order; the validation report holds all. */
  problems: z.array(rowProblemSchema),
  problemsTruncated: z.boolean(),
  /** Whether the registry was changed (false for a dry run, and for all-or-nothing with a rejection). */
  committed: z.boolean(),
  /** Milliseconds: reading and checking the file, writing, all. */
  ms: z.object({ read: z.number(), write: z.number(), total: z.number() }),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

/** Progress while an import runs (the CLI's bar and the page's bar). */
export interface ImportProgress {
  phase: 'reading' | 'matching' | 'writing' | 'report' | 'done';
  /** Data rows read so far (persons). */
  rows: number;
  /** Bytes of the file read so far and in all (reading phase), for a percentage. */
  bytes: number;
  totalBytes: number;
  /** Overall completion, 0–100. */
  percent: number;
}

/** One import in the list of recent imports (GET /api/imports). */
export const importListItem = z.object({
  id: z.string(),
  fileName: z.string(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  mode: importMode,
  onExisting,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  createdByName: z.string().nullable(),
  summary: importSummarySchema.nullable(),
  error: z.object({ code: z.string(), message: z.string(), messageEn: z.string() }).nullable(),
  hasReport: z.boolean(),
  hasRejected: z.boolean(),
});
export type ImportListItem = z.infer<typeof importListItem>;

/** One import with its progress (GET /api/imports/:id). `progress` is 0–100. */
export const importDetail = importListItem.extend({
  progress: z.number(),
  message: z.string().nullable(),
});
export type ImportDetail = z.infer<typeof importDetail>;
