/** The assistance capability's public door (精准扶持, 对口帮扶). */
export { assistanceRoutes } from './routes.ts';
export { ASSISTANCE } from './permissions.ts';
export { seedAssistanceDemo, type AssistanceDemoContext, type AssistanceDemoResult } from './demo.ts';
export { settingsFor } from './settings.ts';
export { householdCoverage, COVERAGE_INDICATORS, ASSISTED_HOUSEHOLD_TYPES, type CoverageResult } from './rules.ts';
