/** Contracts (zod) of assistance: teams. Filled in by the teams work. */
export {};
