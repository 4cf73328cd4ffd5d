/** The exchange capability's public door (import and export). */
export { exportHouseholds, EXPORT_HEADERS, type ExportOptions, type ExportFile, type ExportKind, type ExportFormat, type ExportEncoding } from './export.ts';
export { exchangeRoutes } from './routes.ts';
export { EXCHANGE } from './permissions.ts';
