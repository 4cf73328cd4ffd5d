/** Contracts (zod) of assistance: records. Filled in by the records work. */
export {};
