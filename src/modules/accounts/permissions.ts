import { definePermissions } from '../../shared/access.ts';

/**
 * Actions of the accounts capability. Officers manage accounts only for areas inside their own;
 * only an administrator creates or edits administrators. Every signed-in user reads their own
 * profile and changes their own password without a listed action.
 */
export const ACCOUNTS = definePermissions({
  'accounts.read': ['admin', 'city_officer', 'county_officer', 'township_officer', 'inspector'],
  'accounts.create': ['admin', 'city_officer', 'county_officer', 'township_officer'],
  'accounts.update': ['admin', 'city_officer', 'county_officer', 'township_officer'],
  'accounts.reset-password': ['admin', 'city_officer', 'county_officer', 'township_officer'],
});
