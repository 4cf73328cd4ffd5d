/**
 * 数据导入 (/imports): upload a person list (.xlsx / .csv) with the import's options, follow the
 * background job's progress, then read its outcome — the figures, whether the registry changed, the
 * problems, the validation report and the rejected households' rows to fix and re-import. Below, the
 * latest imports; `/imports?id=…` shows one of them.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { Alert, Button, Card, Col, Flex, Form, Progress, Radio, Row, Select, Space, Statistic, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { FileDrop } from '../../../client/components/FileDrop.tsx';
import type { ImportDetail, ImportListItem, ImportMode, ImportProblem, ImportSummary, OnExisting } from '../contract.ts';
import { POVERTY_CAUSE_NUMBERINGS } from '../../households/codes.ts';
import { errorText, get, upload } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Lang } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';

const T = defineMessages({
  title: { zh: '数据导入', en: 'Import' },
  subtitle: { zh: '把全国人员名单或按导入模板填写的表格（.xlsx、.csv）导入农户档案', en: 'Load the national person list or a filled-in import template (.xlsx, .csv) into the registry' },
  template: { zh: '下载导入模板', en: 'Download the import template' },
  fileCard: { zh: '选择文件', en: 'Choose a file' },
  drop: { zh: '点击或把文件拖到这里', en: 'Click or drop a file here' },
  dropHint: { zh: '一次一个文件：.xlsx 或 .csv（UTF-8、GBK）。.xls 请先在 Excel 或 WPS 中另存为 .xlsx。', en: 'One file at a time: .xlsx or .csv (UTF-8, GBK). Save an .xls as .xlsx in Excel or WPS first.' },
  mode: { zh: '导入方式', en: 'Mode' },
  modeCommitValid: { zh: '导入有效户，退回有问题的户', en: 'Import the valid households, return the others' },
  modeAllOrNothing: { zh: '全部无误才导入', en: 'Import only if every household is valid' },
  modeDryRun: { zh: '试导入（只校验，不写入）', en: 'Dry run (check only, write nothing)' },
  onExisting: { zh: '已登记的户', en: 'Households already registered' },
  update: { zh: '更新', en: 'Update' },
  skip: { zh: '跳过', en: 'Skip' },
  encoding: { zh: 'CSV 编码', en: 'CSV encoding' },
  encodingAuto: { zh: '自动识别', en: 'Detect' },
  causeNumbering: { zh: '致贫原因编号', en: 'Poverty-cause numbers' },
  causeNumberingNone: { zh: '按名称（不接受数字）', en: 'By name (numbers refused)' },
  start: { zh: '开始导入', en: 'Start the import' },
  uploading: { zh: '正在上传文件…', en: 'Uploading the file…' },
  queued: { zh: '排队中', en: 'Queued' },
  running: { zh: '导入中', en: 'Running' },
  succeeded: { zh: '已完成', en: 'Done' },
  failed: { zh: '失败', en: 'Failed' },
  result: { zh: '导入结果', en: 'Result' },
  failedTitle: { zh: '导入失败', en: 'The import failed' },
  rows: { zh: '文件行数', en: 'Rows' },
  households: { zh: '户数', en: 'Households' },
  created: { zh: '新增户', en: 'New' },
  updated: { zh: '更新户', en: 'Updated' },
  unchanged: { zh: '未变化', en: 'Unchanged' },
  skipped: { zh: '跳过', en: 'Skipped' },
  rejected: { zh: '退回户', en: 'Returned' },
  errorsWarnings: { zh: '错误 / 警告', en: 'Errors / warnings' },
  committed: { zh: '农户档案已更新：新增 {created} 户，更新 {updated} 户，{unchanged} 户无变化。', en: 'The registry was changed (households): {created} new, {updated} updated, {unchanged} unchanged.' },
  committedRejected: { zh: '{rejected} 户有错误，已整户退回，没有导入：请下载退回数据，改正后重新导入。', en: 'Households with errors ({rejected}) were returned whole: download the returned rows, correct them and import them again.' },
  dryRun: { zh: '试导入只做校验，农户档案没有改变。正式导入将新增 {created} 户、更新 {updated} 户，退回 {rejected} 户。', en: 'A dry run only checks: the registry was not changed. A real import would add {created}, update {updated} and return {rejected} (households).' },
  allOrNothing: { zh: '有 {rejected} 户存在错误，按“全部无误才导入”没有写入任何数据，农户档案没有改变。', en: 'Households with errors ({rejected}): with “import only if every household is valid” nothing was written, the registry was not changed.' },
  notCommitted: { zh: '农户档案没有改变。', en: 'The registry was not changed.' },
  nothingToWrite: { zh: '没有需要写入的变化：{unchanged} 户与农户档案一致，跳过 {skipped} 户，退回 {rejected} 户。农户档案没有改变。', en: 'Nothing to write: {unchanged} households match the registry, {skipped} skipped, {rejected} returned. The registry was not changed.' },
  report: { zh: '下载校验报告', en: 'Download the validation report' },
  rejectedFile: { zh: '下载退回数据', en: 'Download the returned rows' },
  problems: { zh: '问题清单', en: 'Problems' },
  problemsTruncated: { zh: '这里只列出前 {n} 条，全部问题见校验报告。', en: 'Only the first {n} are listed here; the validation report holds them all.' },
  noProblems: { zh: '没有发现问题', en: 'No problems found' },
  sheet: { zh: '工作表', en: 'Sheet' },
  row: { zh: '行', en: 'Row' },
  headerRow: { zh: '表头', en: 'Header' },
  column: { zh: '列', en: 'Column' },
  value: { zh: '值', en: 'Value' },
  severity: { zh: '级别', en: 'Level' },
  problem: { zh: '问题', en: 'Problem' },
  error: { zh: '错误', en: 'Error' },
  warning: { zh: '警告', en: 'Warning' },
  recent: { zh: '最近导入', en: 'Recent imports' },
  file: { zh: '文件', en: 'File' },
  time: { zh: '时间', en: 'Time' },
  by: { zh: '操作人', en: 'By' },
  status: { zh: '状态', en: 'Status' },
  counts: { zh: '新增 / 更新 / 退回', en: 'New / updated / returned' },
  view: { zh: '查看', en: 'View' },
  noImports: { zh: '还没有导入记录', en: 'No imports yet' },
  dryRunTag: { zh: '试导入', en: 'Dry run' },
  total: { zh: '共 {n} 条', en: '{n} in all' },
  seconds: { zh: '用时 {s} 秒', en: '{s} s' },
});

type Status = ImportListItem['status'];
const STATUS_COLOR: Record<Status, string> = { queued: 'default', running: 'processing', succeeded: 'success', failed: 'error' };
const ACCEPT = '.xlsx,.xls,.csv,.txt';
const POLL_MS = 500;

function StatusTag({ status }: { status: Status }) {
  const { t } = useI18n();
  return <Tag color={STATUS_COLOR[status]}>{t(T[status])}</Tag>;
}

const n = (v: number) => v.toLocaleString('en-US');

/** The sentence that says whether the registry was changed. */
function outcomeText(s: ImportSummary, t: ReturnType<typeof useI18n>['t']): { type: 'success' | 'info' | 'warning'; text: string } {
  const vars = { created: n(s.created), updated: n(s.updated), unchanged: n(s.unchanged), skipped: n(s.skipped), rejected: n(s.rejected) };
  if (s.created === 0 && s.updated === 0 && s.mode !== 'dry-run' && !(s.mode === 'all-or-nothing' && s.rejected > 0)) return { type: s.rejected > 0 ? 'warning' : 'info', text: t(T.nothingToWrite, vars) };
  if (s.committed) return { type: s.rejected > 0 ? 'warning' : 'success', text: t(T.committed, vars) + (s.rejected > 0 ? ` ${t(T.committedRejected, vars)}` : '') };
  if (s.mode === 'dry-run') return { type: 'info', text: t(T.dryRun, vars) };
  if (s.mode === 'all-or-nothing' && s.rejected > 0) return { type: 'warning', text: t(T.allOrNothing, vars) };
  return { type: 'info', text: t(T.notCommitted) };
}

function Figures({ s }: { s: ImportSummary }) {
  const { t } = useI18n();
  const cards: { key: string; title: string; value: number | string; color?: string }[] = [
    { key: 'rows', title: t(T.rows), value: s.rows },
    { key: 'households', title: t(T.households), value: s.households },
    { key: 'created', title: t(T.created), value: s.created, color: s.created ? '#389e0d' : undefined },
    { key: 'updated', title: t(T.updated), value: s.updated, color: s.updated ? '#1677ff' : undefined },
    { key: 'unchanged', title: t(T.unchanged), value: s.unchanged },
    { key: 'skipped', title: t(T.skipped), value: s.skipped },
    { key: 'rejected', title: t(T.rejected), value: s.rejected, color: s.rejected ? '#cf1322' : undefined },
    { key: 'problems', title: t(T.errorsWarnings), value: `${n(s.errors)} / ${n(s.warnings)}`, color: s.errors ? '#cf1322' : s.warnings ? '#d46b08' : undefined },
  ];
  return (
    <Row gutter={[8, 8]}>
      {cards.map((c) => (
        <Col key={c.key} xs={12} sm={8} md={6} xl={3}>
          <Card size="small" data-testid={`stat-${c.key}`}>
            <Statistic title={c.title} value={c.value} styles={{ content: { fontSize: 20, ...(c.color ? { color: c.color } : {}) } }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

function ProblemTable({ s, lang }: { s: ImportSummary; lang: Lang }) {
  const { t } = useI18n();
  const columns: TableColumnsType<ImportProblem & { key: number }> = [
    { key: 'sheet', title: t(T.sheet), dataIndex: 'sheet', width: 100, ellipsis: true, responsive: ['md'] },
    { key: 'row', title: t(T.row), dataIndex: 'sheetRow', width: 64, align: 'right', render: (v: number) => (v === 0 ? t(T.headerRow) : v) },
    { key: 'column', title: t(T.column), dataIndex: 'column', width: 110, ellipsis: true },
    { key: 'value', title: t(T.value), dataIndex: 'value', width: 160, ellipsis: true, responsive: ['sm'], render: (v: string) => <span className="fupin-mono">{v}</span> },
    {
      key: 'severity',
      title: t(T.severity),
      dataIndex: 'severity',
      width: 72,
      render: (v: ImportProblem['severity']) => <Tag color={v === 'error' ? 'red' : 'orange'}>{v === 'error' ? t(T.error) : t(T.warning)}</Tag>,
    },
    { key: 'message', title: t(T.problem), render: (_, p) => (lang === 'en' ? p.messageEn : p.message) },
  ];
  return (
    <>
      {s.problemsTruncated && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t(T.problemsTruncated, { n: n(s.problems.length) })} />}
      <Table
        size="small"
        data-testid="import-problems"
        columns={columns}
        dataSource={s.problems.map((p, i) => ({ ...p, key: i }))}
        pagination={{ defaultPageSize: 10, showSizeChanger: true, showTotal: (total) => t(T.total, { n: n(total) }), hideOnSinglePage: true }}
        scroll={{ x: 560 }}
        locale={{ emptyText: <Typography.Text type="secondary">{t(T.noProblems)}</Typography.Text> }}
      />
    </>
  );
}

/** One import: its progress while it runs, its outcome when it ends. */
function ImportResult({ job }: { job: ImportDetail }) {
  const { t, lang } = useI18n();
  const s = job.summary;
  const running = job.status === 'queued' || job.status === 'running';
  const outcome = s ? outcomeText(s, t) : null;
  const percent = job.status === 'succeeded' ? 100 : Math.floor(job.progress);
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid="import-result"
      title={
        <Space size={8} wrap={false} style={{ minWidth: 0 }}>
          <FileExcelOutlined />
          <Typography.Text ellipsis style={{ maxWidth: 420 }} title={job.fileName}>
            {job.fileName}
          </Typography.Text>
          <StatusTag status={job.status} />
          {job.mode === 'dry-run' && <Tag>{t(T.dryRunTag)}</Tag>}
        </Space>
      }
      extra={s && <Typography.Text type="secondary">{t(T.seconds, { s: (s.ms.total / 1000).toFixed(1) })}</Typography.Text>}
    >
      {(running || job.status === 'succeeded') && (
        <div data-testid="import-progress" data-phase="import" data-percent={percent} style={{ marginBottom: running ? 0 : 12 }}>
          <Progress percent={percent} status={running ? 'active' : 'success'} />
          {running && (
            <Typography.Text type="secondary" data-testid="import-message">
              {job.message ?? ' '}
            </Typography.Text>
          )}
        </div>
      )}
      {job.status === 'failed' && job.error && <Alert type="error" showIcon data-testid="import-error" title={t(T.failedTitle)} description={lang === 'en' ? job.error.messageEn : job.error.message} />}
      {s && outcome && (
        <Flex vertical gap={12}>
          <Alert type={outcome.type} showIcon data-testid="import-outcome" title={outcome.text} />
          <Figures s={s} />
          {(job.hasReport || job.hasRejected) && (
            <Flex gap={8} wrap>
              {job.hasReport && (
                <Button icon={<DownloadOutlined />} href={`/api/imports/${job.id}/report`}>
                  {t(T.report)}
                </Button>
              )}
              {job.hasRejected && (
                <Button icon={<DownloadOutlined />} href={`/api/imports/${job.id}/rejected`} danger>
                  {t(T.rejectedFile)}
                </Button>
              )}
            </Flex>
          )}
          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t(T.problems)}
            </Typography.Title>
            <ProblemTable s={s} lang={lang} />
          </div>
        </Flex>
      )}
    </Card>
  );
}

function RecentImports({ items, error, onRetry }: { items: ImportListItem[] | null; error: unknown; onRetry: () => void }) {
  const { t } = useI18n();
  const columns: TableColumnsType<ImportListItem> = [
    {
      key: 'file',
      title: t(T.file),
      dataIndex: 'fileName',
      ellipsis: { showTitle: false },
      render: (v: string, r) => (
        <Tooltip placement="topLeft" title={v}>
          <Link to={`/imports?id=${r.id}`}>{v}</Link>
        </Tooltip>
      ),
    },
    { key: 'time', title: t(T.time), dataIndex: 'createdAt', width: 140, render: (v: string) => <span className="fupin-nowrap">{formatDateTime(v)}</span> },
    { key: 'by', title: t(T.by), dataIndex: 'createdByName', width: 130, ellipsis: true, responsive: ['md'], render: (v: string | null) => v ?? '—' },
    {
      key: 'status',
      title: t(T.status),
      dataIndex: 'status',
      width: 120,
      render: (v: Status, r) => (
        <Space size={4}>
          <StatusTag status={v} />
          {r.mode === 'dry-run' && <Tag>{t(T.dryRunTag)}</Tag>}
        </Space>
      ),
    },
    {
      key: 'counts',
      title: t(T.counts),
      width: 150,
      responsive: ['sm'],
      render: (_, r) => (r.summary ? <span className="fupin-nowrap">{`${n(r.summary.created)} / ${n(r.summary.updated)} / ${n(r.summary.rejected)}`}</span> : '—'),
    },
    { key: 'view', title: '', width: 64, render: (_, r) => <Link to={`/imports?id=${r.id}`}>{t(T.view)}</Link> },
  ];
  return (
    <Card size="small" title={t(T.recent)} styles={{ body: { padding: error ? undefined : 0 } }}>
      {error ? (
        <LoadError error={error} onRetry={onRetry} />
      ) : (
        <Table<ImportListItem>
          rowKey="id"
          size="small"
          data-testid="recent-imports"
          loading={items === null}
          columns={columns}
          dataSource={items ?? []}
          pagination={{ defaultPageSize: 10, hideOnSinglePage: true }}
          scroll={{ x: 480 }}
          locale={{ emptyText: <Typography.Text type="secondary">{t(T.noImports)}</Typography.Text> }}
        />
      )}
    </Card>
  );
}

export function ImportPage() {
  const { t, lang } = useI18n();
  const [params, setParams] = useSearchParams();
  const id = params.get('id');
  const [form] = Form.useForm<{ mode: ImportMode; onExisting: OnExisting; encoding: string; causeNumbering: string }>();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [job, setJob] = useState<ImportDetail | null>(null);
  const [jobError, setJobError] = useState<unknown>(null);
  const [recent, setRecent] = useState<ImportListItem[] | null>(null);
  const [recentError, setRecentError] = useState<unknown>(null);

  const loadRecent = useCallback(async () => {
    setRecentError(null);
    try {
      setRecent((await get<{ items: ImportListItem[] }>('/imports')).items);
    } catch (e) {
      setRecentError(e);
    }
  }, []);

  useEffect(() => {
    void loadRecent();
  }, [loadRecent]);

  // Follows the import of the address: every POLL_MS while it runs; the recent list once it ends.
  useEffect(() => {
    if (!id) {
      setJob(null);
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    setJobError(null);
    const poll = async () => {
      try {
        const d = await get<ImportDetail>(`/imports/${encodeURIComponent(id)}`);
        if (!live) return;
        setJob(d);
        if (d.status === 'queued' || d.status === 'running') timer = setTimeout(() => void poll(), POLL_MS);
        else void loadRecent();
      } catch (e) {
        if (live) setJobError(e);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [id, loadRecent]);

  const start = async () => {
    if (!file?.originFileObj) return;
    const v = form.getFieldsValue();
    const body = new FormData();
    // The text fields first: the server reads them before it streams the file.
    body.set('mode', v.mode);
    body.set('onExisting', v.onExisting);
    body.set('encoding', v.encoding);
    body.set('causeNumbering', v.causeNumbering);
    body.set('file', file.originFileObj, file.name);
    setUploadError(null);
    setSent(0);
    try {
      const { id: newId } = await upload<{ id: string }>('/imports', body, setSent);
      setJob(null);
      setParams({ id: newId });
      setFile(null);
      void loadRecent();
    } catch (e) {
      setUploadError(e);
    } finally {
      setSent(null);
    }
  };

  const uploading = sent !== null;
  const current = job && job.id === id ? job : null;
  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle)}
        extra={
          <Button icon={<DownloadOutlined />} href="/api/imports/template">
            {t(T.template)}
          </Button>
        }
      />
      <Card size="small" title={t(T.fileCard)} style={{ marginBottom: 12 }}>
        <Row gutter={[16, 12]}>
          <Col xs={24} lg={10}>
            <FileDrop
              accept={ACCEPT}
              file={file}
              disabled={uploading}
              onChange={(f) => {
                setUploadError(null);
                setFile(f);
              }}
              text={t(T.drop)}
              hint={t(T.dropHint)}
              data-testid="import-file"
            />
          </Col>
          <Col xs={24} lg={14}>
            <Form form={form} layout="vertical" requiredMark={false} initialValues={{ mode: 'commit-valid', onExisting: 'update', encoding: 'auto', causeNumbering: 'none' }} disabled={uploading}>
              <Form.Item name="mode" label={t(T.mode)} style={{ marginBottom: 12 }}>
                <Radio.Group
                  options={[
                    { value: 'commit-valid', label: t(T.modeCommitValid) },
                    { value: 'all-or-nothing', label: t(T.modeAllOrNothing) },
                    { value: 'dry-run', label: t(T.modeDryRun) },
                  ]}
                />
              </Form.Item>
              <Flex gap={24} wrap>
                <Form.Item name="onExisting" label={t(T.onExisting)} style={{ marginBottom: 12 }}>
                  <Radio.Group
                    options={[
                      { value: 'update', label: t(T.update) },
                      { value: 'skip', label: t(T.skip) },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="encoding" label={t(T.encoding)} style={{ marginBottom: 12 }}>
                  <Select
                    style={{ width: 140 }}
                    aria-label={t(T.encoding)}
                    options={[
                      { value: 'auto', label: t(T.encodingAuto) },
                      { value: 'utf-8', label: 'UTF-8' },
                      { value: 'gbk', label: 'GBK' },
                      { value: 'gb18030', label: 'GB18030' },
                    ]}
                  />
                </Form.Item>
                <Form.Item name="causeNumbering" label={t(T.causeNumbering)} style={{ marginBottom: 12 }}>
                  <Select
                    style={{ width: 240 }}
                    aria-label={t(T.causeNumbering)}
                    options={[
                      { value: 'none', label: t(T.causeNumberingNone) },
                      ...Object.entries(POVERTY_CAUSE_NUMBERINGS).map(([value, n]) => ({ value, label: n.label[lang] })),
                    ]}
                  />
                </Form.Item>
              </Flex>
              <Button type="primary" icon={<UploadOutlined />} disabled={!file} loading={uploading} onClick={() => void start()}>
                {t(T.start)}
              </Button>
            </Form>
          </Col>
        </Row>
        {uploading && (
          <div data-testid="import-progress" data-phase="upload" data-percent={Math.floor(sent)} style={{ marginTop: 12 }}>
            <Progress percent={Math.floor(sent)} status="active" />
            <Typography.Text type="secondary">{t(T.uploading)}</Typography.Text>
          </div>
        )}
        {uploadError !== null && <Alert type="error" showIcon data-testid="import-error" style={{ marginTop: 12 }} title={t(T.failedTitle)} description={errorText(uploadError, lang)} />}
      </Card>
      {id && jobError !== null && <LoadError error={jobError} />}
      {current && <ImportResult job={current} />}
      <RecentImports items={recent} error={recentError} onRetry={() => void loadRecent()} />
    </>
  );
}
