/** The audit capability's public door. */
export { recordAudit, findAuditEvents, redactSecrets, type AuditInput } from './service.ts';
export { auditRoutes } from './routes.ts';
export { AUDIT } from './permissions.ts';
