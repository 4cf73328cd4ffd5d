/**
 * The cross-check lists (比对名单) of an area, and for holders of identification.cross-check the upload
 * of a new list (.xlsx / .csv keyed by 身份证号, with its kind, name and department). A bad row refuses
 * the whole file: the rows, columns and reasons are listed.
 */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Col, Form, Input, Row, Select, Table, Tag, Typography } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { FileDrop } from '../../../client/components/FileDrop.tsx';
import type { CrossCheckImportResult, CrossCheckListItem } from '../exclusion-contract.ts';
import { CROSS_CHECK_KINDS, CROSS_CHECK_KIND_LABELS, type CrossCheckKind } from '../exclusion-rules.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { levelOfCode } from '../../../shared/area-code.ts';
import { ApiError, errorText, get, upload } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';

const T = defineMessages({
  upload: { zh: '导入比对名单', en: 'Import a cross-check list' },
  drop: { zh: '点击或把名单文件拖到这里', en: 'Click or drop the list file here' },
  dropHint: { zh: '.xlsx 或 .csv，不超过 20 MB；须有“身份证号”（或“公民身份号码”）列，可有姓名、车牌号、房屋地址、工作单位、企业名称、职务等列。有一行身份证号错误，整个文件都不导入。', en: '.xlsx or .csv, at most 20 MB, with a 身份证号 (ID number) column; name and detail columns (plate, address, employer, company, office) are read too. One bad ID number refuses the whole file.' },
  kind: { zh: '名单类别', en: 'Kind' },
  name: { zh: '名单名称', en: 'Name' },
  source: { zh: '来源部门', en: 'Department' },
  area: { zh: '覆盖区划（县或以上）', en: 'Area covered (county or wider)' },
  areaCol: { zh: '覆盖区划', en: 'Area' },
  start: { zh: '导入并比对', en: 'Import and check' },
  chooseFile: { zh: '请选择名单文件', en: 'Choose the list file' },
  imported: { zh: '已导入 {rows} 行；比对 {evaluated} 户，新增命中 {opened} 条，消除 {cleared} 条{replaced}', en: '{rows} rows imported; {evaluated} households checked, {opened} new hits, {cleared} cleared{replaced}' },
  replaced: { zh: '；替换了之前的同类名单', en: '; the previous list of this kind was replaced' },
  refused: { zh: '名单未导入', en: 'The list was not imported' },
  moreIssues: { zh: '另有 {n} 处问题未列出', en: '{n} more problems not listed' },
  lists: { zh: '已导入的名单', en: 'Imported lists' },
  rows: { zh: '行数', en: 'Rows' },
  hits: { zh: '命中', en: 'Hits' },
  file: { zh: '文件', en: 'File' },
  importedAt: { zh: '导入时间、导入人', en: 'Imported, by' },
  active: { zh: '在用', en: 'Active' },
  replacedTag: { zh: '已替换', en: 'Replaced' },
  status: { zh: '状态', en: 'Status' },
  none: { zh: '还没有导入比对名单', en: 'No cross-check list yet' },
});

const ACCEPT = '.xlsx,.csv,.txt';

export function CrossCheckListsPanel({ areaCode, onImported }: { areaCode: string | null; onImported: () => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const [items, setItems] = useState<CrossCheckListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [file, setFile] = useState<UploadFile | null>(null);
  const [uploading, setUploading] = useState(false);
  const [refusal, setRefusal] = useState<ApiError | string | null>(null);
  const [form] = Form.useForm<{ kind: CrossCheckKind; name: string; source?: string; areaCode: string | null }>();
  const canImport = can(IDENTIFICATION['identification.cross-check']);
  const countyOrWider = (c: string | null) => c !== null && !['township', 'village'].includes(levelOfCode(c));

  const load = useCallback(async () => {
    setError(null);
    try {
      setItems((await get<{ items: CrossCheckListItem[] }>('/identification/cross-check-lists', { areaCode: areaCode ?? undefined })).items);
    } catch (e) {
      setError(e);
    }
  }, [areaCode]);

  useEffect(() => {
    void load();
  }, [load]);

  const submit = async (v: { kind: CrossCheckKind; name: string; source?: string; areaCode: string | null }) => {
    if (!file?.originFileObj) {
      setRefusal(t(T.chooseFile));
      return;
    }
    setUploading(true);
    setRefusal(null);
    const fd = new FormData();
    fd.append('kind', v.kind);
    fd.append('name', v.name);
    if (v.source) fd.append('source', v.source);
    if (v.areaCode) fd.append('areaCode', v.areaCode);
    fd.append('file', file.originFileObj, file.name);
    try {
      const r = await upload<CrossCheckImportResult>('/identification/cross-check-lists', fd);
      void message.success(t(T.imported, { rows: r.list.rowCount, evaluated: r.evaluated, opened: r.opened, cleared: r.cleared, replaced: r.replaced ? t(T.replaced) : '' }));
      setFile(null);
      await load();
      onImported();
    } catch (e) {
      setRefusal(e instanceof ApiError ? e : errorText(e, lang));
    } finally {
      setUploading(false);
    }
  };

  const columns: TableColumnsType<CrossCheckListItem> = [
    // Fits the page at 1366 px (the name fixed on the left when a narrower screen scrolls).
    { key: 'name', title: t(T.name), dataIndex: 'name', width: 170, fixed: 'left', ellipsis: true },
    { key: 'kind', title: t(T.kind), width: 120, render: (_, l) => CROSS_CHECK_KIND_LABELS[l.kind][lang] },
    { key: 'area', title: t(T.areaCol), dataIndex: 'areaName', width: 90 },
    { key: 'source', title: t(T.source), dataIndex: 'source', width: 130, responsive: ['md'], render: (v: string | null) => v ?? '—' },
    { key: 'file', title: t(T.file), dataIndex: 'fileName', width: 140, ellipsis: true, responsive: ['lg'] },
    { key: 'rows', title: t(T.rows), dataIndex: 'rowCount', width: 60, align: 'right' },
    { key: 'hits', title: t(T.hits), dataIndex: 'hits', width: 60, align: 'right' },
    {
      key: 'at',
      title: t(T.importedAt),
      width: 140,
      render: (_, l) => (
        <div>
          {formatDateTime(l.importedAt)}
          {l.importedByName && (
            <div>
              <Typography.Text type="secondary">{l.importedByName}</Typography.Text>
            </div>
          )}
        </div>
      ),
    },
    { key: 'status', title: t(T.status), width: 80, render: (_, l) => (l.active ? <Tag color="green">{t(T.active)}</Tag> : <Tag>{t(T.replacedTag)}</Tag>) },
  ];

  const issues = refusal instanceof ApiError ? (refusal.details.issues ?? []) : [];
  const badRows = refusal instanceof ApiError && typeof refusal.details.badRows === 'number' ? refusal.details.badRows : issues.length;

  return (
    <>
      {canImport && (
        <Card size="small" title={t(T.upload)} style={{ marginBottom: 12 }}>
          <Row gutter={[16, 12]}>
            <Col xs={24} lg={10}>
              <FileDrop
                accept={ACCEPT}
                file={file}
                disabled={uploading}
                onChange={(f) => {
                  setRefusal(null);
                  setFile(f);
                }}
                text={t(T.drop)}
                hint={t(T.dropHint)}
                data-testid="cross-check-file"
              />
            </Col>
            <Col xs={24} lg={14}>
              <Form
                form={form}
                layout="vertical"
                requiredMark={false}
                disabled={uploading}
                initialValues={{ kind: 'vehicle', name: CROSS_CHECK_KIND_LABELS.vehicle.zh, source: CROSS_CHECK_KIND_LABELS.vehicle.department, areaCode: countyOrWider(areaCode) ? areaCode : user.areaCode }}
                onValuesChange={(changed: { kind?: CrossCheckKind }) => {
                  if (changed.kind) form.setFieldsValue({ name: CROSS_CHECK_KIND_LABELS[changed.kind].zh, source: CROSS_CHECK_KIND_LABELS[changed.kind].department });
                }}
                onFinish={(v) => void submit(v)}
              >
                <Row gutter={12}>
                  <Col xs={24} sm={12}>
                    <Form.Item name="kind" label={t(T.kind)} rules={[{ required: true }]} style={{ marginBottom: 12 }}>
                      <Select options={CROSS_CHECK_KINDS.map((k) => ({ value: k, label: CROSS_CHECK_KIND_LABELS[k][lang] }))} data-testid="cross-check-kind" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="areaCode" label={t(T.area)} style={{ marginBottom: 12 }}>
                      <AreaTreeSelect rootCode={user.areaCode} levels={['province', 'city', 'county']} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="name" label={t(T.name)} rules={[{ required: true, whitespace: true, max: 100 }]} style={{ marginBottom: 12 }}>
                      <Input maxLength={100} />
                    </Form.Item>
                  </Col>
                  <Col xs={24} sm={12}>
                    <Form.Item name="source" label={t(T.source)} rules={[{ max: 100 }]} style={{ marginBottom: 12 }}>
                      <Input maxLength={100} />
                    </Form.Item>
                  </Col>
                </Row>
                <Button type="primary" htmlType="submit" icon={<UploadOutlined />} loading={uploading} disabled={!file} data-testid="cross-check-start">
                  {t(T.start)}
                </Button>
              </Form>
            </Col>
          </Row>
          {refusal && (
            <Alert
              type="error"
              showIcon
              style={{ marginTop: 12 }}
              data-testid="cross-check-refusal"
              title={t(T.refused)}
              description={
                <>
                  {typeof refusal === 'string' ? refusal : refusal.text(lang)}
                  {issues.length > 1 && (
                    <ul style={{ margin: '8px 0 0', paddingInlineStart: 20 }}>
                      {issues.slice(0, 20).map((i, k) => (
                        <li key={k}>{lang === 'en' ? i.messageEn : i.message}</li>
                      ))}
                    </ul>
                  )}
                  {badRows > 20 && <Typography.Text type="secondary">{t(T.moreIssues, { n: badRows - 20 })}</Typography.Text>}
                </>
              }
            />
          )}
        </Card>
      )}
      <Card size="small" title={t(T.lists)}>
        {error ? (
          <LoadError error={error} onRetry={() => void load()} />
        ) : (
          <Table size="small" rowKey="id" data-testid="cross-check-lists" loading={items === null} columns={columns} dataSource={items ?? []} pagination={{ defaultPageSize: 10, hideOnSinglePage: true }} scroll={{ x: 990 }} locale={{ emptyText: t(T.none) }} />
        )}
      </Card>
    </>
  );
}
