/** What every command shares: configuration, opening and migrating the database, clear failures. */
import { loadConfig, ConfigError, type Config } from '../platform/config.ts';
import { openDatabase, DataDirLockedError, type Database } from '../platform/db.ts';
import { AppError } from '../shared/errors.ts';
import { ensureAdmin } from '../modules/accounts/index.ts';

/** Opens the configured database and applies pending migrations; creates `admin` on first use. */
export async function openMigrated(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  try {
    await database.migrate();
    const admin = await ensureAdmin(database.db, config.adminPassword);
    if (admin.created) {
      if (admin.generatedPassword) {
        console.log(
          `\n已创建系统管理员 admin，初始密码（只显示这一次）· Created administrator "admin"; initial password (shown once):\n\n    ${admin.generatedPassword}\n`,
        );
      } else {
        console.log('已创建系统管理员 admin（密码取自 FUPIN_ADMIN_PASSWORD）· Created administrator "admin" with FUPIN_ADMIN_PASSWORD');
      }
    }
    return database;
  } catch (e) {
    await database.close().catch(() => {});
    throw e;
  }
}

/** A failure the command explains itself (zh and en); printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly messageEn: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Runs a command body. A failure prints a clear message (no stack trace unless FUPIN_LOG_LEVEL is
 * debug or trace) and ends the process with exit code 1 at once, so that nothing keeps it alive
 * (a progress bar, a database handle, a half-started server).
 */
export async function runCommand(body: (config: Config) => Promise<void>): Promise<void> {
  try {
    const config = loadConfig();
    await body(config);
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DataDirLockedError) {
      console.error(e.message);
    } else if (e instanceof AppError) {
      console.error(`错误 · Error [${e.code}]: ${e.message}\n${e.messageEn}`);
      for (const i of e.details.issues ?? []) console.error(`  - ${i.path.join('.')}: ${i.message} · ${i.messageEn}`);
    } else if (e instanceof CliError) {
      console.error(`错误 · Error: ${e.message}\n${e.messageEn}`);
    } else {
      const verbose = ['debug', 'trace'].includes(process.env.FUPIN_LOG_LEVEL ?? '');
      console.error(`错误 · Error: ${verbose ? ((e as Error).stack ?? String(e)) : ((e as Error).message ?? String(e))}`);
    }
    process.exit(1);
  }
}
