import { ALL_ROLES, definePermissions } from '../../shared/access.ts';

/**
 * Actions of identification and dynamic management. "谁调查谁复核、谁审核谁负责" (REFERENCE §2.1): the
 * village (clerk, with the work team) applies, appraises and posts the first notice; the township
 * reviews and posts the second notice; the county approves, announces and registers. Inspectors read.
 */
export const IDENTIFICATION = definePermissions({
  'identification.read': ALL_ROLES,
  /** Batches and applications, the appraisal, the first notice, withdrawal; recording objections. */
  'identification.apply': ['admin', 'county_officer', 'township_officer', 'village_clerk', 'work_team_member'],
  /** 乡镇审核, the second notice, rejection at the township; deciding objections raised in a notice. */
  'identification.review': ['admin', 'county_officer', 'township_officer'],
  /** 县审定, the announcement, registration (建档立卡), rejection at the county. */
  'identification.approve': ['admin', 'county_officer'],
  /** A reviewer's written justification of a red-line hit. */
  'identification.override': ['admin', 'county_officer', 'township_officer'],
  /** Exclusion-rule settings and cross-check lists (比对名单). */
  'identification.cross-check': ['admin', 'county_officer'],
  /** The data-quality page (数据质量). */
  'identification.quality': ['admin', 'city_officer', 'county_officer', 'township_officer', 'village_clerk', 'inspector'],
  /** Opening and closing the yearly adjustment round (county). */
  'identification.round': ['admin', 'county_officer'],
  /** Recording dynamic-adjustment events: members in and out, split, merge, 清退, 返贫. */
  'identification.adjust': ['admin', 'county_officer', 'township_officer', 'village_clerk'],
  /** Relative-poverty standards. */
  'identification.standards': ['admin', 'county_officer'],
  /** Drawing verification samples and recording the visits' findings. */
  'identification.sample': ['admin', 'county_officer', 'township_officer'],
  /** Poor-village identification: the village applies (clerk), the township reviews, the county designates. */
  'identification.village-apply': ['admin', 'county_officer', 'township_officer', 'village_clerk'],
  'identification.village-review': ['admin', 'county_officer', 'township_officer'],
  'identification.village-approve': ['admin', 'county_officer'],
});
