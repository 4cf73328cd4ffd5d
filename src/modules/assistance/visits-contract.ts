/** Contracts (zod) of assistance: visits. Filled in by the visits work. */
export {};
