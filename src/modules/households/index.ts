/** The registry capability's public door. */
export {
  registerHousehold,
  updateHousehold,
  addMember,
  updateMember,
  removeMember,
  moveMember,
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
