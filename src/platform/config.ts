/**
 * Configuration from the environment, validated once at start. A bad value stops the process with a
 * message naming the variable, the value's problem and the expected form (zh and en).
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
    error: '应为 true/false、1/0、yes/no 或 on/off · expected true/false, 1/0, yes/no or on/off',
  })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

const envSchema = z.object({
  PORT: z.coerce
    .number({ error: '应为端口号 · expected a port number' })
    .int('应为整数 · expected an integer')
    .min(0, '端口号应在 0–65535 之间 · must be 0–65535')
    .max(65535, '端口号应在 0–65535 之间 · must be 0–65535')
    .default(3000),
  HOST: z.string().min(1, '不能为空 · must not be empty').default('127.0.0.1'),
  FUPIN_DATA_DIR: z.string().min(1, '不能为空 · must not be empty').default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, '应为 postgres:// 或 postgresql:// 开头的连接串 · expected a postgres:// or postgresql:// URL')
    .optional(),
  FUPIN_ADMIN_PASSWORD: z
    .string()
    .min(8, '管理员初始密码至少 8 位 · the initial admin password needs at least 8 characters')
    .max(128, '至多 128 位 · at most 128 characters')
    .regex(/[A-Za-z]/, '须包含字母 · needs a letter')
    .regex(/\d/, '须包含数字 · needs a digit')
    .optional(),
  FUPIN_DEMO: bool.optional(),
  FUPIN_SESSION_SECRET: z.string().min(32, '至少 32 个字符 · needs at least 32 characters').optional(),
  FUPIN_TRUST_PROXY: z
    .string()
    .regex(/^(true|false|\d+|[0-9a-fA-F:./]+(,[0-9a-fA-F:./]+)*)$/, '应为 true、false、代理层数，或以逗号分隔的代理地址/网段 · expected true, false, a hop count, or comma-separated proxy addresses/CIDRs')
    .optional(),
  FUPIN_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: '应为 fatal、error、warn、info、debug、trace 或 silent · expected fatal, error, warn, info, debug, trace or silent',
    })
    .default('info'),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  database: 'pglite' | 'postgresql';
  adminPassword: string | undefined;
  demo: boolean;
  sessionSecret: string | undefined;
  logLevel: string;
  /**
   * Which proxies' X-Forwarded-For to believe (Fastify's trustProxy): false (default: the client's own
   * address counts, so rate limits cannot be dodged with a forged header), true, a hop count, or a
   * list of proxy addresses/CIDRs. Set it when fupin runs behind a load balancer.
   */
  trustProxy: boolean | number | string[];
}

const SECRET_VARIABLES = new Set(['FUPIN_ADMIN_PASSWORD', 'FUPIN_SESSION_SECRET']);

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`配置有误 · Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads and validates the configuration.
 * @param env the environment (process.env by default); empty strings count as unset
 * @throws ConfigError listing every bad variable with its reason
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0]);
        // Never echo a secret back to the terminal (or a log collecting it).
        const shown = SECRET_VARIABLES.has(name) ? '"***"' : JSON.stringify(cleaned[name] ?? '');
        return `${name}=${shown}: ${i.message}`;
      }),
    );
  }
  const e = parsed.data;
  const database = e.DATABASE_URL ? 'postgresql' : 'pglite';
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.FUPIN_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    database,
    adminPassword: e.FUPIN_ADMIN_PASSWORD,
    demo: e.FUPIN_DEMO ?? database === 'pglite',
    sessionSecret: e.FUPIN_SESSION_SECRET,
    logLevel: e.FUPIN_LOG_LEVEL,
    trustProxy: parseTrustProxy(e.FUPIN_TRUST_PROXY),
  };
}

function parseTrustProxy(v: string | undefined): boolean | number | string[] {
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  return v.split(',');
}
