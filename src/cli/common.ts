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

/** Runs a command body, turning known failures into a clear message and exit code 1 (no stack trace). */
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
    } else {
      console.error(e);
    }
    process.exitCode = 1;
  }
}
