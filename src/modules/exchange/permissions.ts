import { ALL_ROLES, definePermissions } from '../../shared/access.ts';

/**
 * Actions of import and export. Every role that reads households may export the households of its
 * scope (masked); a full export needs households.read-full as well.
 */
export const EXCHANGE = definePermissions({
  'exchange.export': ALL_ROLES,
  /** Importing registers and changes households: the roles that register them (households.create). */
  'exchange.import': ['admin', 'county_officer', 'township_officer', 'village_clerk'],
});
