import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('has defaults for an empty environment: PGlite in ./data on 127.0.0.1:3000 with the demo on', () => {
    const c = loadConfig({});
    expect(c).toEqual({
      port: 3000,
      host: '127.0.0.1',
      dataDir: path.resolve('./data'),
      databaseUrl: undefined,
      database: 'pglite',
      adminPassword: undefined,
      demo: true,
      sessionSecret: undefined,
      logLevel: 'info',
      trustProxy: false,
    });
  });

  it('believes X-Forwarded-For only from the proxies FUPIN_TRUST_PROXY names', () => {
    expect(loadConfig({ FUPIN_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ FUPIN_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ FUPIN_TRUST_PROXY: '10.0.0.5,10.0.1.0/24' }).trustProxy).toEqual(['10.0.0.5', '10.0.1.0/24']);
    expect(configError({ FUPIN_TRUST_PROXY: 'everyone' }).problems[0]).toContain('FUPIN_TRUST_PROXY');
  });

  it('uses PostgreSQL when DATABASE_URL is set, with the demo off by default', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://fupin@db.example:5432/fupin' });
    expect(c.database).toBe('postgresql');
    expect(c.databaseUrl).toBe('postgres://fupin@db.example:5432/fupin');
    expect(c.demo).toBe(false);
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/fupin' }).database).toBe('postgresql');
  });

  it('reads the values given', () => {
    const c = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      FUPIN_DATA_DIR: '/var/lib/fupin',
      FUPIN_ADMIN_PASSWORD: 'first-admin-9',
      FUPIN_DEMO: 'off',
      FUPIN_SESSION_SECRET: 's'.repeat(32),
      FUPIN_LOG_LEVEL: 'warn',
    });
    expect(c).toMatchObject({ port: 8080, host: '0.0.0.0', dataDir: '/var/lib/fupin', adminPassword: 'first-admin-9', demo: false, sessionSecret: 's'.repeat(32), logLevel: 'warn' });
  });

  it('accepts each spelling of a boolean and lets FUPIN_DEMO override the default', () => {
    for (const v of ['1', 'true', 'yes', 'on']) expect(loadConfig({ FUPIN_DEMO: v, DATABASE_URL: 'postgres://db/x' }).demo, v).toBe(true);
    for (const v of ['0', 'false', 'no', 'off']) expect(loadConfig({ FUPIN_DEMO: v }).demo, v).toBe(false);
  });

  it('treats empty strings as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', FUPIN_DEMO: '' })).toMatchObject({ port: 3000, database: 'pglite', demo: true });
  });

  it.each([
    ['PORT', 'abc', /port/i],
    ['PORT', '70000', /65535/],
    ['PORT', '80.5', /integer|整数/],
    ['DATABASE_URL', 'mysql://root@localhost/fupin', /postgres/],
    ['FUPIN_DEMO', 'maybe', /true\/false/],
    ['FUPIN_SESSION_SECRET', 'too-short-secret', /32/],
    ['FUPIN_ADMIN_PASSWORD', 'short1', /8/],
    ['FUPIN_ADMIN_PASSWORD', 'abcdefgh', /数字|digit/],
    ['FUPIN_LOG_LEVEL', 'loud', /应为 fatal.*expected fatal/],
  ])('%s=%s gives a ConfigError naming the variable', (name, value, reason) => {
    const e = configError({ [name]: value });
    expect(e.problems).toHaveLength(1);
    const secret = name === 'FUPIN_SESSION_SECRET' || name === 'FUPIN_ADMIN_PASSWORD';
    // Secrets are named but never echoed.
    expect(e.problems[0]).toContain(secret ? `${name}="***"` : `${name}=${JSON.stringify(value)}`);
    if (secret) expect(e.message).not.toContain(value);
    expect(e.problems[0]).toMatch(reason);
    expect(e.message).toContain(name);
  });

  it('lists every bad variable at once', () => {
    const e = configError({ PORT: 'abc', FUPIN_DEMO: 'maybe', DATABASE_URL: 'mysql://x' });
    expect(e.problems.map((p) => p.split('=')[0]).sort()).toEqual(['DATABASE_URL', 'FUPIN_DEMO', 'PORT']);
  });
});
