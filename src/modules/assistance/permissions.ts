import { ALL_ROLES, definePermissions } from '../../shared/access.ts';

/**
 * Actions of assistance and pairing (精准扶持). Everyone reads assistance in their scope — a helper
 * (帮扶责任人) only the households assigned to them. The county and township pair helpers with
 * households; the county (and city for 市直 units) keeps units, work teams and leader contact points;
 * whoever works with the household — clerk, helper, work team, officers — records needs, plans,
 * measures and visits. Inspectors read.
 */
export const ASSISTANCE = definePermissions({
  'assistance.read': ALL_ROLES,
  /** Assisting units, helpers, helper assignments (one by one, by village, from a file). */
  'assistance.pair': ['admin', 'city_officer', 'county_officer', 'township_officer'],
  /** Work teams (驻村工作队) and their members. */
  'assistance.teams': ['admin', 'city_officer', 'county_officer'],
  /** Leader contact points (市领导联系点). */
  'assistance.contact-points': ['admin', 'city_officer', 'county_officer'],
  /** Needs, plans, measures and visits of a household. */
  'assistance.record': ['admin', 'county_officer', 'township_officer', 'village_clerk', 'helper', 'work_team_member'],
  /** 我的帮扶户: the workspace of a helper's own households (the menu shows it to helpers only). */
  'assistance.workspace': ['helper'],
  /** Visit period and helper load maximum per area. */
  'assistance.settings': ['admin', 'county_officer'],
});
