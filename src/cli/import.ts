/**
 * `fupin import FILE`: imports a person list (.xlsx or CSV) into the registry from the command line,
 * with a progress bar showing rows per second, the summary, the first problems, and optionally the
 * validation report and the rejected rows as .xlsx files. Exit status 0 when the file was read
 * (whatever rows were rejected), 1 when the file itself was refused or the import failed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { SYSTEM_ACTOR, type Actor } from '../platform/auth.ts';
import { actorForUser } from '../modules/accounts/index.ts';
import { users } from '../modules/accounts/schema.ts';
import { FileRefusal, LOCAL_FILE_READER_LIMITS, runImport, writeReports, type ImportOptions } from '../modules/exchange/index.ts';
import { CliError, openMigrated, runCommand } from './common.ts';

interface ImportFlags {
  dryRun?: boolean;
  mode: 'commit-valid' | 'all-or-nothing';
  onExisting: 'update' | 'skip';
  encoding: ImportOptions['encoding'];
  causeNumbering: ImportOptions['causeNumbering'];
  report?: string;
  rejected?: string;
  as?: string;
}

const PHASES: Record<string, string> = { reading: '读取 · reading', matching: '校验比对 · checking', writing: '写入 · writing', report: '报告 · report', done: '完成 · done' };

/** Registers `fupin import`. */
export function importCommand(program: Command): void {
  program
    .command('import')
    .argument('<file>', '人员名单文件（.xlsx 或 .csv）· the person list (.xlsx or .csv)')
    .description('导入人员名单（一行一人，户信息各行重复）到建档立卡库 · import a person list (one row per member) into the registry')
    .option('--dry-run', '试导入：只校验，不写入 · check everything, write nothing')
    .addOption(new Option('--mode <mode>', '导入方式 · commit-valid: write the valid households, reject the others; all-or-nothing: write nothing when any is rejected').choices(['commit-valid', 'all-or-nothing']).default('commit-valid'))
    .addOption(new Option('--on-existing <what>', '已登记的户 · households already registered: update or skip').choices(['update', 'skip']).default('update'))
    .addOption(new Option('--encoding <enc>', 'CSV 编码 · CSV encoding').choices(['auto', 'utf-8', 'gbk', 'gb18030']).default('auto'))
    .addOption(
      new Option('--cause-numbering <n>', '致贫原因为数字时的编号方式 · how numbers in 致贫原因 cells are read: form2014 (2014 登记表顺序), commonApp (因病 = 1 … 11), national2017 (含因婚); none refuses numbers')
        .choices(['none', 'form2014', 'commonApp', 'national2017'])
        .default('none'),
    )
    .option('--report <out.xlsx>', '写出校验报告（原始行 + 问题列）· write the validation report (the original rows plus a problem column)')
    .option('--rejected <out.xlsx>', '写出被退回户的行，修改后可重新导入 · write the rejected households’ rows, to fix and re-import')
    .option('--as <username>', '以该用户的角色和管辖范围导入（默认系统管理员）· import with this user’s role and scope (default: the system)')
    .action((file: string, flags: ImportFlags) =>
      runCommand(async (config) => {
        if (!fs.existsSync(file)) throw new CliError(`找不到文件 ${file}`, `No such file: ${file}`);
        const database = await openMigrated(config);
        try {
          let actor: Actor = SYSTEM_ACTOR;
          if (flags.as) {
            const [u] = await database.db.select({ id: users.id }).from(users).where(eq(users.username, flags.as));
            if (!u) throw new CliError(`没有用户 ${flags.as}`, `No user ${flags.as}`);
            actor = await actorForUser(database.db, u.id);
          }
          const bar = new cliProgress.SingleBar(
            { format: '导入 · Import [{bar}] {percentage}% | {phase} | {rows} 行 · rows | {rate} 行/秒 · rows/s', hideCursor: true, noTTYOutput: !process.stdout.isTTY, notTTYSchedule: 2000 },
            cliProgress.Presets.shades_classic,
          );
          const t0 = performance.now();
          bar.start(100, 0, { phase: PHASES.reading, rows: 0, rate: 0 });
          const source = { path: file, fileName: path.basename(file), encoding: flags.encoding };
          let outcome;
          try {
            outcome = await runImport(database.db, actor, source, {
              mode: flags.dryRun ? 'dry-run' : flags.mode,
              onExisting: flags.onExisting,
              encoding: flags.encoding,
              causeNumbering: flags.causeNumbering,
              // A file on the server's disk is streamed: a whole county's list (over 100 MB) is fine.
              limits: LOCAL_FILE_READER_LIMITS,
              onProgress: (p) => bar.update(p.percent, { phase: PHASES[p.phase] ?? p.phase, rows: p.rows, rate: Math.round(p.rows / Math.max(0.001, (performance.now() - t0) / 1000)) }),
            });
          } catch (e) {
            bar.stop();
            if (e instanceof FileRefusal) throw new CliError(`文件未能读取（${e.code}）：${e.message}`, `The file was refused (${e.code}): ${e.messageEn}`);
            throw e;
          }
          bar.update(100, { phase: PHASES.done, rows: outcome.rows });
          bar.stop();
          const s = outcome;
          console.log(
            `${s.fileName}: ${s.rows} 行 · rows, ${s.households} 户 · households — 新增 created ${s.created}, 更新 updated ${s.updated}, 未变化 unchanged ${s.unchanged}, 跳过 skipped ${s.skipped}, 退回 rejected ${s.rejected} (${s.rejectedRows} 行 · rows); 错误 errors ${s.errors}, 警告 warnings ${s.warnings}`,
          );
          console.log(
            s.committed
              ? `已写入建档立卡库 · written to the registry (${(s.ms.total / 1000).toFixed(1)} s, ${Math.round(s.rows / Math.max(0.001, s.ms.total / 1000))} 行/秒 · rows/s)`
              : flags.dryRun
                ? '试导入：未写入任何数据 · dry run: nothing written'
                : s.created + s.updated === 0
                  ? '没有需要写入的数据 · nothing to write'
                  : '有被退回的户，按“全部无误才导入”未写入任何数据 · households were rejected: with all-or-nothing nothing was written',
          );
          for (const p of s.problems.slice(0, 20)) {
            console.log(`  ${p.severity === 'error' ? '错误' : '警告'} ${p.sheet} 第 ${p.sheetRow} 行 ${p.column ? `[${p.column}] ` : ''}${p.value ? `“${p.value}” ` : ''}${p.message} · ${p.messageEn}`);
          }
          if (s.problems.length > 20 || s.problemsTruncated) console.log(`  …… 共 ${s.errors + s.warnings} 个问题，见校验报告 · ${s.errors + s.warnings} problems in all; see the validation report (--report)`);
          if (flags.report || flags.rejected) {
            const files = await writeReports(outcome, source);
            if (flags.report) {
              if (files.report) fs.writeFileSync(flags.report, files.report);
              console.log(files.report ? `校验报告 · validation report: ${flags.report}` : '没有问题，未写出校验报告 · no problems: no validation report written');
            }
            if (flags.rejected) {
              if (files.rejected) fs.writeFileSync(flags.rejected, files.rejected);
              console.log(files.rejected ? `退回数据 · rejected rows: ${flags.rejected}` : '没有被退回的户 · no household was rejected');
            }
          }
        } finally {
          await database.close();
        }
      }),
    );
}
