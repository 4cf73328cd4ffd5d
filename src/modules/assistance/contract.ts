/**
 * The contracts of assistance (zod schemas shared by the server and the pages), one file per topic,
 * gathered here: pages import from this file.
 */
export * from './settings-contract.ts';
export * from './pairing-contract.ts';
export * from './teams-contract.ts';
export * from './records-contract.ts';
export * from './visits-contract.ts';
export * from './coverage-contract.ts';
