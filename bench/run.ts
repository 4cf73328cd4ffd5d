/**
 * `npm run bench`: every part; `npm run bench -- foundation`, `-- registry`, `-- import`, `-- quality` or `-- assistance` for one.
 * Each part prints its figures as ratios against a baseline measured in the same run.
 */
import { benchFoundation } from './foundation.ts';
import { benchRegistry } from './registry.ts';
import { benchImport } from './import.ts';
import { benchQuality } from './quality.ts';
import { benchAssistance } from './assistance.ts';

const parts: Record<string, () => Promise<void>> = { foundation: benchFoundation, registry: benchRegistry, import: benchImport, quality: benchQuality, assistance: benchAssistance };
const asked = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = asked.filter((a) => !(a in parts));
if (unknown.length) {
  console.error(`unknown bench part: ${unknown.join(', ')} (parts: ${Object.keys(parts).join(', ')})`);
  process.exit(1);
}
for (const name of asked.length ? asked : Object.keys(parts)) {
  await parts[name]!();
  console.log();
}
