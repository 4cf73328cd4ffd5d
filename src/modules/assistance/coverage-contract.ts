/** Contracts (zod) of assistance: coverage. Filled in by the coverage work. */
export {};
