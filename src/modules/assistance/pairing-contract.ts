/** Contracts (zod) of assistance: pairing. Filled in by the pairing work. */
export {};
