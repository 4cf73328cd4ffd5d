import { definePermissions } from '../../shared/access.ts';

/** Actions of the audit capability. */
export const AUDIT = definePermissions({
  /** Search the audit log (within one's scope). */
  'audit.read': ['admin', 'city_officer', 'county_officer', 'township_officer', 'inspector'],
});
