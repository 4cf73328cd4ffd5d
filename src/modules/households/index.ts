/** The registry capability's public door. */
export {
  registerHousehold,
  updateHousehold,
  addMember,
  updateMember,
  removeMember,
  moveMember,
  splitHousehold,
  mergeHouseholds,
  setIncome,
  removeHousehold,
  getHousehold,
  findHouseholdHistory,
  findHouseholds,
  getTownshipArchive,
  findDuplicateCandidates,
} from './service.ts';
export { generateHouseholds, seedHouseholds, demoPovertyLine, type DemoVillage, type DemoHousehold, type GenerateOptions, type SeedOptions, type SeedResult } from './demo.ts';
export { householdRoutes } from './routes.ts';
export { HOUSEHOLDS } from './permissions.ts';
// Pure code lists and contracts, for modules that read or write registry data (exchange).
export { findCodeItem, CODE_LISTS, causeFromNumber, POVERTY_CAUSE_NUMBERINGS, type CodeListId, type CodeValue, type Label, type PovertyCauseNumberingId } from './codes.ts';
export { memberInput, householdListQuery, type MemberInput, type HouseholdFieldValues, type MemberValues, type HouseholdListQuery } from './contract.ts';
export { selectHouseholdPage, HEAD_RELATION } from './queries.ts';
export { todayCst } from './rules.ts';
// Bulk registration and update, for imports (exchange).
export {
  checkImportedHousehold,
  findImportMatches,
  loadHouseholdsForImport,
  diffImportedHousehold,
  isUnchanged,
  applyImportedChanges,
  HouseholdNumbering,
  newHouseholdRows,
  stageNewHouseholds,
  mergeStagedHouseholds,
  clearStage,
  openImportWriter,
  type ImportWriter,
  type ImportedHousehold,
  type ImportIssue,
  type CheckedHousehold,
  type HouseholdChange,
  type StoredHousehold,
  type NewHouseholdRows,
} from './bulk.ts';
