import { ALL_ROLES, definePermissions } from '../../shared/access.ts';

/**
 * Actions of the registry. Everyone reads the households of their scope with ID numbers and phones
 * masked; the roles that enter or check identities see them in full on the detail page (each such
 * view audited).
 */
export const HOUSEHOLDS = definePermissions({
  'households.read': ALL_ROLES,
  'households.read-full': ['admin', 'county_officer', 'township_officer', 'village_clerk', 'inspector'],
  'households.create': ['admin', 'county_officer', 'township_officer', 'village_clerk'],
  'households.update': ['admin', 'county_officer', 'township_officer', 'village_clerk', 'work_team_member'],
  'households.remove': ['admin', 'county_officer', 'township_officer'],
  'households.duplicates': ['admin', 'county_officer', 'township_officer', 'inspector'],
});
