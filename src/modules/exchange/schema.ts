/**
 * Tables of import and export. An import is a job (platform `jobs`: options in the payload, the
 * summary in the result); its uploaded file and its reports are kept here, in the database, so that
 * any server process can run the job and serve the reports. The staging tables that imports load
 * with COPY (`import_stage_households`, `import_stage_members`, `import_stage_versions`) are made by
 * migration 0004 as copies of the registry tables (LIKE) and are used through SQL only.
 */
import { sql } from 'drizzle-orm';
import { check, customType, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => (Buffer.isBuffer(v) ? v : Buffer.from(v)),
});

/** An import job's files: the upload ('upload'), the validation report ('report') and the rejected rows ('rejected'). */
export const importFiles = pgTable(
  'import_files',
  {
    jobId: uuid('job_id').notNull(),
    kind: text('kind').notNull(),
    fileName: text('file_name').notNull(),
    content: bytea('content').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.kind] }), check('import_files_kind', sql`${t.kind} IN ('upload', 'report', 'rejected')`)],
);
