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
export { householdRoutes } from './routes.ts';
export { HOUSEHOLDS } from './permissions.ts';
