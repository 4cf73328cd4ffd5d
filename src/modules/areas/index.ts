/** The areas capability's public door. */
export { getArea, findChildAreas, searchAreas, importAreas, designatePoorVillage, undesignatePoorVillage, areaExists, loadArea, loadAreaNames, currentYear, type ImportAreasResult } from './service.ts';
export { areaRoutes } from './routes.ts';
export { AREAS } from './permissions.ts';
