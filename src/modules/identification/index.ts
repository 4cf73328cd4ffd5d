/** The identification capability's public door (精准识别). */
export {
  checkTransition,
  actionsFrom,
  identificationSteps,
  DEFAULT_PROCEDURE,
  IDENTIFICATION_STATES,
  IDENTIFICATION_ACTIONS,
  type IdentificationState,
  type IdentificationAction,
  type ProcedureConfig,
  type TransitionContext,
  type TransitionRefusal,
  type TransitionResult,
} from './rules.ts';
export { identificationRoutes } from './routes.ts';
export { IDENTIFICATION } from './permissions.ts';
export { seedIdentificationDemo, type IdentificationDemoResult } from './demo.ts';
export { seedCrossCheckDemo, saveExclusionSettings } from './exclusion.ts';
export { seedAdjustmentDemo, countHouseholdEvents, recordHouseholdEvent } from './adjustment.ts';
export { seedVillageIdentificationDemo } from './villages.ts';
export { seedSamplingDemo } from './sampling.ts';
export { seedRelativePovertyDemo } from './relative.ts';
export { findDataQualityCounts, refreshDataQuality, runDataQualityJob, queueStaleDataQualityRuns, QUALITY_JOB } from './quality.ts';
