#!/usr/bin/env node
// fupin's command line. TypeScript sources run through tsx's loader, so there is no separate build
// step for the server; the web client is built by Vite (`fupin serve` builds it when missing).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
