/** The exchange capability's public door (import and export). */
export { exportHouseholds, EXPORT_HEADERS, type ExportOptions, type ExportFile, type ExportKind, type ExportFormat, type ExportEncoding } from './export.ts';
export { exchangeRoutes } from './routes.ts';
export { EXCHANGE } from './permissions.ts';
export { runImport, summaryOf, type ImportOutcome, type RunImportOptions } from './import.ts';
export { IMPORT_JOB, runImportJob, queueImport, writeReports, purgeOldImportFiles, IMPORT_FILES_KEPT_DAYS } from './import-job.ts';
export { importOptions, importSummarySchema, type ImportOptions, type ImportSummary, type ImportProgress, type ImportProblem } from './contract.ts';
export { FileRefusal, LOCAL_FILE_READER_LIMITS, readSpreadsheet, type ReaderLimits, type SpreadsheetInput } from './readers.ts';
// Cell readers, for other modules' own lists (identification's cross-check lists).
export { cellText, isBlankRow, readIdNumber, readText, type CellValue } from './cells.ts';
