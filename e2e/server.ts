/**
 * Starts the real fupin server for a browser journey: `node bin/fupin.mjs serve --no-build` on a free
 * port, in a fresh temporary data folder (PGlite) seeded with the demo, serving the client built by
 * `npx vite build`. `stop()` ends the process and removes the folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface RunningServer {
  baseUrl: string;
  adminPassword: string;
  /** Everything the server printed so far (for failure messages). */
  output: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * @param timeoutMs how long to wait for /api/health (the first start imports the demo areas)
 * @throws Error when the client is not built, or the server exits or does not answer in time
 */
export async function startServer(timeoutMs = 150_000): Promise<RunningServer> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'client', 'index.html'))) {
    throw new Error('dist/client is missing: run `npx vite build` before the e2e tests');
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fupin-e2e-'));
  const port = await freePort();
  const adminPassword = 'e2e-admin-Pass1';
  let out = '';
  const env: NodeJS.ProcessEnv = { ...process.env, FUPIN_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', FUPIN_ADMIN_PASSWORD: adminPassword, FUPIN_DEMO: 'true', FUPIN_LOG_LEVEL: 'warn' };
  delete env.DATABASE_URL; // always PGlite in the temporary folder
  const child = spawn(process.execPath, ['bin/fupin.mjs', 'serve', '--no-build'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(timer);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`fupin serve exited with ${child.exitCode}:\n${out}`);
      try {
        const res = await fetch(`${baseUrl}/api/health`);
        if (res.ok) break;
      } catch {}
      if (Date.now() > deadline) throw new Error(`fupin serve did not answer /api/health within ${timeoutMs} ms:\n${out}`);
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (e) {
    await stop();
    throw e;
  }
  return { baseUrl, adminPassword, output: () => out, stop };
}
