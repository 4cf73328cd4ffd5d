/** Builds the web client with Vite when dist/client is missing or older than its sources. */
import fs from 'node:fs';
import path from 'node:path';

const CLIENT_SOURCES = ['src/client', 'src/modules', 'src/shared', 'index.html', 'vite.config.ts'];

function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

/** Whether the built client is missing or older than any client source. */
export function clientNeedsBuild(root: string, outDir: string): boolean {
  const index = path.join(outDir, 'index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  return CLIENT_SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

/**
 * Runs `vite build` in-process when needed.
 * @returns 'built', 'fresh' (nothing to do) or 'unavailable' (Vite is not installed: a production
 *   install without dev dependencies must ship dist/client)
 */
export async function buildClientIfNeeded(root: string, outDir: string): Promise<'built' | 'fresh' | 'unavailable'> {
  if (!clientNeedsBuild(root, outDir)) return 'fresh';
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    return 'unavailable';
  }
  console.log('正在构建网页客户端 · Building the web client …');
  await vite.build({ root, configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  return 'built';
}
