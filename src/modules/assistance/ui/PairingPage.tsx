/**
 * 结对帮扶 (/assistance/pairing), for an area of the user's scope:
 * - 未结对户: households that must have a helper (建档立卡贫困户, 监测户, 相对贫困户; active) and have
 *   none, with counts per township / village to drill down; pick households and give them a helper,
 *   or pair a whole village at once (one helper, or spread over several).
 * - 帮扶责任人: helpers with their load (a red tag above the maximum); a helper's households, each
 *   with its history, a change of helper (with a reason; the history stays) and the end of pairing.
 * - 导入: assignments from an .xlsx or CSV file; a refusal lists every problem by row and column.
 */
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Drawer, Form, Input, Modal, Progress, Row, Space, Statistic, Table, Tabs, Tag, Timeline, Typography } from 'antd';
import type { TableColumnsType, UploadFile } from 'antd';
import { levelOfCode } from '../../../shared/area-code.ts';
import type { Page } from '../../../shared/paging.ts';
import { findCodeItem } from '../../households/codes.ts';
import { ASSISTANCE } from '../permissions.ts';
import {
  CREATE_HELPERS_LABEL,
  type AssignmentDto,
  type AssignmentImportResult,
  type AssignmentPage,
  type AssignResult,
  type HelperDto,
  type PairingWarning,
  type UnassignedItem,
  type UnassignedSummary,
  type VillageAssignResult,
} from '../pairing-contract.ts';
import { ApiError, applyFieldErrors, errorText, get, post, upload } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Lang } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { FileDrop } from '../../../client/components/FileDrop.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession } from '../../../client/session.tsx';
import { HelperSelect, LoadTag, LoadWarnings } from './pairing-ui.tsx';

const T = defineMessages({
  title: { zh: '结对帮扶', en: 'Helper pairing' },
  subtitle: {
    zh: '每个帮扶对象（建档立卡贫困户、监测户、相对贫困户）都应有一名帮扶责任人。在这里查看未结对的户、结对、更换帮扶责任人（保留历史）和导入结对名单。',
    en: 'Every household to assist (registered poor, monitored, relatively poor) must have one helper. See the households without one, pair them, change helpers (the history stays) and import pairing lists.',
  },
  area: { zh: '区划', en: 'Area' },
  assisted: { zh: '帮扶对象户数', en: 'Households to assist' },
  without: { zh: '未落实帮扶责任人', en: 'Without a helper' },
  paired: { zh: '结对率', en: 'Paired' },
  byChild: { zh: '各下级区划', en: 'By area' },
  unassignedTab: { zh: '未结对户', en: 'Without a helper' },
  helpersTab: { zh: '帮扶责任人', en: 'Helpers' },
  importTab: { zh: '导入结对名单', en: 'Import' },
  householdNo: { zh: '户编号', en: 'Household no.' },
  head: { zh: '户主', en: 'Head' },
  village: { zh: '村', en: 'Village' },
  township: { zh: '乡镇', en: 'Township' },
  type: { zh: '户类型', en: 'Type' },
  members: { zh: '人数', en: 'Persons' },
  lastEnd: { zh: '上次结对结束', en: 'Last helper until' },
  assign: { zh: '结对给帮扶责任人（已选 {n} 户）', en: 'Give a helper ({n} chosen)' },
  byVillage: { zh: '按村结对', en: 'Pair a village' },
  helper: { zh: '帮扶责任人', en: 'Helper' },
  helpers: { zh: '帮扶责任人（可选多位，按户数少者优先分配）', en: 'Helpers (several: each household to the least loaded)' },
  startDate: { zh: '开始日期', en: 'Start date' },
  villageCode: { zh: '村', en: 'Village' },
  assigned: { zh: '已结对 {n} 户', en: '{n} households paired' },
  nothingToPair: { zh: '该村帮扶对象均已落实帮扶责任人，无需结对', en: 'Every household to assist in this village already has a helper: nothing to pair' },
  unchanged: { zh: '，{n} 户原已由该责任人帮扶', en: ', {n} already had this helper' },
  required: { zh: '必填', en: 'Required' },
  total: { zh: '共 {n} 户', en: '{n} households' },
  totalHelpers: { zh: '共 {n} 人', en: '{n} helpers' },
  name: { zh: '姓名', en: 'Name' },
  unit: { zh: '单位', en: 'Unit' },
  phone: { zh: '电话', en: 'Phone' },
  load: { zh: '帮扶户数', en: 'Load' },
  onlyOver: { zh: '只看超出上限', en: 'Only above maximum' },
  since: { zh: '自 {d}', en: 'since {d}' },
  change: { zh: '更换', en: 'Change' },
  end: { zh: '结束', en: 'End' },
  history: { zh: '历史', en: 'History' },
  changeTitle: { zh: '更换帮扶责任人：{name}户', en: 'Change the helper of {name}' },
  endTitle: { zh: '结束结对：{name}户', en: 'End the pairing of {name}' },
  newHelper: { zh: '新帮扶责任人', en: 'New helper' },
  reason: { zh: '原因', en: 'Reason' },
  changeDate: { zh: '更换日期', en: 'Date of change' },
  endDate: { zh: '结束日期', en: 'End date' },
  changed: { zh: '已更换，原结对已结束并保留在历史中', en: 'Changed; the previous pairing ended and stays in the history' },
  ended: { zh: '已结束结对，该户已列入未结对户', en: 'Pairing ended; the household is listed without a helper' },
  historyTitle: { zh: '{name}户的帮扶责任人', en: 'Helpers of {name}' },
  current: { zh: '现任', en: 'Current' },
  endedOn: { zh: '{d} 结束：{r}', en: 'ended {d}: {r}' },
  households: { zh: '帮扶户', en: 'Households' },
  noHouseholds: { zh: '暂无帮扶户', en: 'No households' },
  noHouseholdsHere: { zh: '您的管辖范围内暂无该帮扶责任人的帮扶户', en: 'None of this helper’s households is in your area' },
  outsideScope: { zh: '另有 {n} 户在您的管辖范围之外', en: '{n} more households outside your area' },
  importHint: {
    zh: '.xlsx（第一个工作表）或 CSV，列：户编号（或户主身份证号）、帮扶责任人、联系电话、帮扶单位、开始日期。有任何一行有误则整个文件不导入；重复导入同一文件不会重复结对。',
    en: '.xlsx (first sheet) or CSV with the columns 户编号 (or 户主身份证号), 帮扶责任人, 联系电话, 帮扶单位, 开始日期. Any bad row refuses the whole file; importing the same file again pairs nothing twice.',
  },
  chooseFile: { zh: '点击或拖入结对名单文件', en: 'Click or drop the pairing list' },
  createHelpers: CREATE_HELPERS_LABEL,
  createHelpersHint: { zh: '（须填帮扶单位，单位须已登记）', en: ' (give the unit; it must be registered)' },
  template: { zh: '下载模板', en: 'Download the template' },
  replaceReason: { zh: '更换原因（填写后，已有其他帮扶责任人的户将被更换）', en: 'Reason for changes (given: households with another helper are changed)' },
  importBtn: { zh: '导入', en: 'Import' },
  noFile: { zh: '请先选择文件', en: 'Choose a file first' },
  imported: {
    zh: '已导入：{rows} 行，新结对 {assigned} 户（其中更换 {replaced} 户），{skipped} 户原已结对未变，新建帮扶责任人 {created} 人',
    en: 'Imported: {rows} rows, {assigned} households paired ({replaced} changed), {skipped} unchanged, {created} helpers created',
  },
  refused: { zh: '文件未导入（{n} 行有问题），请修改后重新导入：', en: 'The file was not imported ({n} rows with problems); fix them and import again:' },
  row: { zh: '行', en: 'Row' },
  column: { zh: '列', en: 'Column' },
  problem: { zh: '问题', en: 'Problem' },
  open: { zh: '帮扶档案', en: 'Assistance' },
});

const typeLabel = (v: string, lang: Lang) => findCodeItem('householdType', v)?.label[lang] ?? v;
const todayYmd = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

function Summary({ areaCode, version, onDrill }: { areaCode: string | null; version: number; onDrill: (code: string, name: string) => void }) {
  const { t } = useI18n();
  const [s, setS] = useState<UnassignedSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setError(null);
    get<UnassignedSummary>('/assistance/unassigned/summary', { areaCode })
      .then(setS)
      .catch(setError);
  }, [areaCode, version]);
  if (error) return <LoadError error={error} />;
  const pct = (a: number, w: number) => (a === 0 ? 100 : Math.round(((a - w) / a) * 1000) / 10);
  return (
    <Card size="small" style={{ marginBottom: 12 }} loading={!s}>
      {s && (
        <Row gutter={[16, 12]}>
          <Col xs={24} md={8}>
            <Space size="large" wrap>
              <Statistic title={t(T.assisted)} value={s.assisted} />
              <Statistic title={t(T.without)} value={s.withoutHelper} valueStyle={s.withoutHelper > 0 ? { color: '#cf1322' } : undefined} />
            </Space>
            <Progress percent={pct(s.assisted, s.withoutHelper)} status={s.withoutHelper > 0 ? 'exception' : 'success'} format={(p) => `${t(T.paired)} ${p}%`} style={{ marginTop: 8 }} />
          </Col>
          {s.children.length > 0 && (
            <Col xs={24} md={16}>
              <Table
                size="small"
                rowKey="code"
                pagination={false}
                scroll={{ y: 220 }}
                dataSource={s.children}
                columns={[
                  { key: 'name', title: t(T.byChild), render: (_, c) => (levelOfCode(c.code) === 'village' && c.withoutHelper === 0 ? c.name : <a onClick={() => onDrill(c.code, c.name)}>{c.name}</a>) },
                  { key: 'assisted', title: t(T.assisted), dataIndex: 'assisted', width: 110, align: 'right' },
                  { key: 'without', title: t(T.without), width: 130, align: 'right', render: (_, c) => (c.withoutHelper > 0 ? <Typography.Text type="danger">{c.withoutHelper}</Typography.Text> : 0) },
                ]}
              />
            </Col>
          )}
        </Row>
      )}
    </Card>
  );
}

function AssignModal({ open, areaCode, householdIds, onClose, onDone }: { open: boolean; areaCode: string | null; householdIds: string[]; onClose: () => void; onDone: (r: AssignResult) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ helperId: string; startDate: string }>();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { helperId: string; startDate: string }) => {
    setBusy(true);
    try {
      const r = await post<AssignResult>('/assistance/assignments', { householdIds, ...v });
      message.success(t(T.assigned, { n: r.assigned }) + (r.unchanged ? t(T.unchanged, { n: r.unchanged }) : ''));
      onDone(r);
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t(T.assign, { n: householdIds.length })} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ startDate: todayYmd() }}>
        <Form.Item name="helperId" label={t(T.helper)} rules={[{ required: true, message: t(T.required) }]}>
          <HelperSelect areaCode={areaCode} />
        </Form.Item>
        <Form.Item name="startDate" label={t(T.startDate)} rules={[{ required: true, message: t(T.required) }]}>
          <DateInput max={todayYmd()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function VillageModal({ open, areaCode, onClose, onDone }: { open: boolean; areaCode: string | null; onClose: () => void; onDone: (r: VillageAssignResult) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ villageCode: string; helperIds: string[]; startDate: string }>();
  const [busy, setBusy] = useState(false);
  const village = Form.useWatch('villageCode', form) as string | undefined;
  useEffect(() => {
    if (open) form.setFieldsValue({ villageCode: areaCode && levelOfCode(areaCode) === 'village' ? areaCode : undefined, helperIds: [], startDate: todayYmd() });
  }, [open, areaCode, form]);
  const submit = async (v: { villageCode: string; helperIds: string[]; startDate: string }) => {
    setBusy(true);
    try {
      const r = await post<VillageAssignResult>('/assistance/assignments/by-village', v);
      if (r.assigned === 0) message.info(t(T.nothingToPair));
      else message.success(t(T.assigned, { n: r.assigned }));
      onDone(r);
      onClose();
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t(T.byVillage)} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="villageCode" label={t(T.villageCode)} rules={[{ required: true, message: t(T.required) }]}>
          <AreaTreeSelect rootCode={areaCode} levels={['village']} />
        </Form.Item>
        <Form.Item name="helperIds" label={t(T.helpers)} rules={[{ required: true, message: t(T.required) }]}>
          <HelperSelect areaCode={village ?? areaCode} mode="multiple" />
        </Form.Item>
        <Form.Item name="startDate" label={t(T.startDate)} rules={[{ required: true, message: t(T.required) }]}>
          <DateInput max={todayYmd()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function UnassignedTab({ areaCode, version, onChanged }: { areaCode: string | null; version: number; onChanged: (w: PairingWarning[]) => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [data, setData] = useState<Page<UnassignedItem> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [modal, setModal] = useState<'assign' | 'village' | null>(null);
  const paging = useServerPaging((n) => t(T.total, { n }));
  const { resetPage } = paging;
  useEffect(() => resetPage(), [areaCode]); // eslint-disable-line react-hooks/exhaustive-deps
  const load = useCallback(() => {
    setError(null);
    get<Page<UnassignedItem>>('/assistance/unassigned', { areaCode, q, page: paging.page, pageSize: paging.pageSize })
      .then((p) => {
        setData(p);
        setSelected((s) => s.filter((id) => p.items.some((i) => i.id === id)));
      })
      .catch(setError);
  }, [areaCode, q, paging.page, paging.pageSize]);
  useEffect(load, [load, version]);
  const pairs = can(ASSISTANCE['assistance.pair']);
  const columns: TableColumnsType<UnassignedItem> = [
    { key: 'no', title: t(T.householdNo), dataIndex: 'householdNo', width: 160 },
    { key: 'head', title: t(T.head), width: 100, render: (_, h) => <Link to={`/households/${h.id}`}>{h.headName}</Link> },
    { key: 'village', title: t(T.village), width: 150, render: (_, h) => `${h.townshipName} ${h.villageName}` },
    { key: 'type', title: t(T.type), width: 120, render: (_, h) => typeLabel(h.householdType, lang) },
    { key: 'members', title: t(T.members), dataIndex: 'memberCount', width: 60, align: 'right', responsive: ['md'] },
    { key: 'lastEnd', title: t(T.lastEnd), width: 110, responsive: ['lg'], render: (_, h) => h.lastEndDate ?? '—' },
    { key: 'open', title: '', width: 90, render: (_, h) => <Link to={`/assistance/households/${h.id}`}>{t(T.open)}</Link> },
  ];
  const done = (w: PairingWarning[]) => {
    setSelected([]);
    onChanged(w);
  };
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={`${t(T.head)} / ${t(T.householdNo)}`} onSearch={(v) => { setQ(v); paging.resetPage(); }} style={{ width: 220 }} />
        {pairs && (
          <>
            <Button type="primary" disabled={selected.length === 0} onClick={() => setModal('assign')}>
              {t(T.assign, { n: selected.length })}
            </Button>
            <Button onClick={() => setModal('village')}>{t(T.byVillage)}</Button>
          </>
        )}
      </Space>
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data?.items}
          loading={!data}
          pagination={paging.pagination(data?.total ?? 0)}
          scroll={{ x: 800 }}
          rowSelection={pairs ? { selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)), preserveSelectedRowKeys: true } : undefined}
        />
      )}
      <AssignModal open={modal === 'assign'} areaCode={areaCode} householdIds={selected} onClose={() => setModal(null)} onDone={(r) => done(r.warnings)} />
      <VillageModal open={modal === 'village'} areaCode={areaCode} onClose={() => setModal(null)} onDone={(r) => done(r.warnings)} />
    </>
  );
}

function HistoryDrawer({ household, onClose }: { household: AssignmentDto | null; onClose: () => void }) {
  const { t } = useI18n();
  const [items, setItems] = useState<AssignmentDto[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!household) return;
    setItems(null);
    setError(null);
    get<Page<AssignmentDto>>('/assistance/assignments', { householdId: household.householdId, pageSize: 100 })
      .then((p) => setItems(p.items))
      .catch(setError);
  }, [household]);
  return (
    <Drawer open={!!household} onClose={onClose} title={household ? t(T.historyTitle, { name: household.headName }) : ''} width={Math.min(420, window.innerWidth)}>
      {error ? (
        <LoadError error={error} />
      ) : (
        <Timeline
          items={(items ?? []).map((a) => ({
            color: a.current ? 'green' : 'gray',
            children: (
              <div>
                <Typography.Text strong>{a.helperName}</Typography.Text> <Typography.Text type="secondary">{a.unitName}</Typography.Text>
                {a.current && <Tag color="green" style={{ marginInlineStart: 6 }}>{t(T.current)}</Tag>}
                <div>{t(T.since, { d: a.startDate })}</div>
                {a.endDate && <Typography.Text type="secondary">{t(T.endedOn, { d: a.endDate, r: a.endReason ?? '' })}</Typography.Text>}
              </div>
            ),
          }))}
        />
      )}
    </Drawer>
  );
}

function ChangeModal({ a, mode, onClose, onDone }: { a: AssignmentDto | null; mode: 'change' | 'end'; onClose: () => void; onDone: (w: PairingWarning[]) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ helperId?: string; date: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (a) form.setFieldsValue({ helperId: undefined, date: todayYmd(), reason: '' });
  }, [a, form]);
  const submit = async (v: { helperId?: string; date: string; reason: string }) => {
    if (!a) return;
    setBusy(true);
    try {
      if (mode === 'change') {
        const r = await post<AssignResult>('/assistance/assignments', { householdIds: [a.householdId], helperId: v.helperId, startDate: v.date, replace: true, reason: v.reason });
        message.success(t(T.changed));
        onDone(r.warnings);
      } else {
        await post<AssignmentDto>(`/assistance/assignments/${a.id}/end`, { endDate: v.date, reason: v.reason });
        message.success(t(T.ended));
        onDone([]);
      }
      onClose();
    } catch (e) {
      const mapped =
        e instanceof ApiError && e.details.issues?.length
          ? e.details.issues.map((i) => ({ name: i.path[0] === 'startDate' || i.path[0] === 'endDate' ? 'date' : i.path[0] === 'householdIds' ? 'helperId' : String(i.path[0]), errors: [lang === 'en' ? i.messageEn : i.message] }))
          : [];
      if (mapped.length) form.setFields(mapped as never);
      else message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={!!a} title={a ? t(mode === 'change' ? T.changeTitle : T.endTitle, { name: a.headName }) : ''} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        {mode === 'change' && (
          <Form.Item name="helperId" label={t(T.newHelper)} rules={[{ required: true, message: t(T.required) }]}>
            <HelperSelect areaCode={a?.villageCode ?? null} exclude={a?.helperId} />
          </Form.Item>
        )}
        <Form.Item name="date" label={t(mode === 'change' ? T.changeDate : T.endDate)} rules={[{ required: true, message: t(T.required) }]}>
          <DateInput min={a?.startDate} max={todayYmd()} />
        </Form.Item>
        <Form.Item name="reason" label={t(T.reason)} rules={[{ required: true, whitespace: true, message: t(T.required) }, { max: 200 }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function HelperHouseholds({ helper, version, onChanged }: { helper: HelperDto; version: number; onChanged: (w: PairingWarning[]) => void }) {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const [page, setPage] = useState<AssignmentPage | null>(null);
  const items = page?.items ?? null;
  const [error, setError] = useState<unknown>(null);
  const [history, setHistory] = useState<AssignmentDto | null>(null);
  const [action, setAction] = useState<{ a: AssignmentDto; mode: 'change' | 'end' } | null>(null);
  useEffect(() => {
    get<AssignmentPage>('/assistance/assignments', { helperId: helper.id, pageSize: 200 })
      .then(setPage)
      .catch(setError);
  }, [helper.id, version]);
  if (error) return <LoadError error={error} />;
  const pairs = can(ASSISTANCE['assistance.pair']);
  return (
    <>
      <Table
        rowKey="id"
        size="small"
        loading={!items}
        dataSource={items ?? []}
        pagination={false}
        locale={{ emptyText: page && page.outsideScope > 0 ? t(T.noHouseholdsHere) : t(T.noHouseholds) }}
        columns={[
          { key: 'head', title: t(T.head), width: 100, render: (_, a) => <Link to={`/assistance/households/${a.householdId}`}>{a.headName}</Link> },
          { key: 'no', title: t(T.householdNo), dataIndex: 'householdNo', width: 160, responsive: ['md'] },
          { key: 'village', title: t(T.village), width: 140, render: (_, a) => `${a.townshipName} ${a.villageName}` },
          { key: 'type', title: t(T.type), width: 110, responsive: ['lg'], render: (_, a) => typeLabel(a.householdType, lang) },
          { key: 'start', title: t(T.startDate), dataIndex: 'startDate', width: 100 },
          {
            key: 'actions',
            title: '',
            width: 170,
            render: (_, a) => (
              <Space size={4}>
                <Button size="small" type="link" onClick={() => setHistory(a)}>
                  {t(T.history)}
                </Button>
                {pairs && (
                  <>
                    <Button size="small" type="link" onClick={() => setAction({ a, mode: 'change' })}>
                      {t(T.change)}
                    </Button>
                    <Button size="small" type="link" danger onClick={() => setAction({ a, mode: 'end' })}>
                      {t(T.end)}
                    </Button>
                  </>
                )}
              </Space>
            ),
          },
        ]}
      />
      {page && page.outsideScope > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }} data-testid="helper-outside-scope">
          {t(T.outsideScope, { n: page.outsideScope })}
        </Typography.Text>
      )}
      <HistoryDrawer household={history} onClose={() => setHistory(null)} />
      <ChangeModal a={action?.a ?? null} mode={action?.mode ?? 'change'} onClose={() => setAction(null)} onDone={onChanged} />
    </>
  );
}

function HelpersTab({ areaCode, version, onChanged }: { areaCode: string | null; version: number; onChanged: (w: PairingWarning[]) => void }) {
  const { t } = useI18n();
  const [over, setOver] = useState(false);
  const [q, setQ] = useState('');
  const [data, setData] = useState<Page<HelperDto> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const paging = useServerPaging((n) => t(T.totalHelpers, { n }));
  const load = useCallback(() => {
    setError(null);
    get<Page<HelperDto>>('/assistance/helpers', { areaCode, q, overloaded: over ? 'true' : undefined, page: paging.page, pageSize: paging.pageSize })
      .then(setData)
      .catch(setError);
  }, [areaCode, q, over, paging.page, paging.pageSize]);
  useEffect(load, [load, version]);
  const columns: TableColumnsType<HelperDto> = [
    { key: 'name', title: t(T.name), dataIndex: 'name', width: 100 },
    { key: 'unit', title: t(T.unit), dataIndex: 'unitName', width: 200, ellipsis: true },
    { key: 'phone', title: t(T.phone), width: 130, responsive: ['md'], render: (_, h) => h.phone ?? '—' },
    { key: 'load', title: t(T.load), width: 160, render: (_, h) => <LoadTag helper={h} /> },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={`${t(T.name)} / ${t(T.phone)}`} onSearch={(v) => { setQ(v); paging.resetPage(); }} style={{ width: 220 }} />
        <Checkbox checked={over} onChange={(e) => { setOver(e.target.checked); paging.resetPage(); }}>
          {t(T.onlyOver)}
        </Checkbox>
      </Space>
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <Table
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={data?.items}
          loading={!data}
          pagination={paging.pagination(data?.total ?? 0)}
          scroll={{ x: 600 }}
          expandable={{ expandedRowRender: (h) => <HelperHouseholds helper={h} version={version} onChanged={onChanged} />, rowExpandable: (h) => h.load > 0 }}
        />
      )}
    </>
  );
}

function ImportTab({ onChanged }: { onChanged: (w: PairingWarning[]) => void }) {
  const { t, lang } = useI18n();
  const [file, setFile] = useState<UploadFile | null>(null);
  const [createHelpers, setCreateHelpers] = useState(false);
  const [replaceReason, setReplaceReason] = useState('');
  const [progress, setProgress] = useState<number | null>(null);
  const [result, setResult] = useState<AssignmentImportResult | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const submit = async () => {
    if (!file?.originFileObj) {
      setRefusal(new ApiError(400, 'VALIDATION_FAILED', t(T.noFile), t(T.noFile)));
      return;
    }
    const fd = new FormData();
    fd.append('createHelpers', String(createHelpers));
    if (replaceReason.trim()) fd.append('replaceReason', replaceReason.trim());
    fd.append('file', file.originFileObj, file.name);
    setProgress(0);
    setResult(null);
    setRefusal(null);
    try {
      const r = await upload<AssignmentImportResult>('/assistance/assignments/import', fd, (p) => setProgress(Math.min(99, Math.round(p))));
      setResult(r);
      setFile(null);
      onChanged(r.warnings);
    } catch (e) {
      setRefusal(e);
    } finally {
      setProgress(null);
    }
  };
  const issues = refusal instanceof ApiError ? (refusal.details.issues ?? []).filter((i) => i.path.length === 3) : [];
  const badRows = refusal instanceof ApiError && typeof refusal.details.badRows === 'number' ? refusal.details.badRows : issues.length;
  return (
    <Row gutter={[16, 12]}>
      <Col xs={24} lg={10}>
        <FileDrop accept=".xlsx,.csv" file={file} onChange={setFile} text={t(T.chooseFile)} hint={t(T.importHint)} disabled={progress !== null} data-testid="pairing-import-file" />
      </Col>
      <Col xs={24} lg={14}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Checkbox checked={createHelpers} onChange={(e) => setCreateHelpers(e.target.checked)}>
            {t(T.createHelpers)}
            <Typography.Text type="secondary">{t(T.createHelpersHint)}</Typography.Text>
          </Checkbox>
          <Input placeholder={t(T.replaceReason)} value={replaceReason} onChange={(e) => setReplaceReason(e.target.value)} maxLength={200} />
          <Space wrap>
            <Button type="primary" onClick={submit} loading={progress !== null}>
              {t(T.importBtn)}
            </Button>
            <Button icon={<DownloadOutlined />} href="/api/assistance/assignments/template">
              {t(T.template)}
            </Button>
          </Space>
          {progress !== null && <Progress percent={progress} size="small" />}
          {result && (
            <Alert
              type="success"
              showIcon
              message={t(T.imported, { rows: result.rows, assigned: result.assigned, replaced: result.replaced, skipped: result.skipped, created: result.helpersCreated })}
            />
          )}
          {refusal !== null && issues.length === 0 && <Alert type="error" showIcon message={errorText(refusal, lang)} />}
        </Space>
      </Col>
      {issues.length > 0 && (
        <Col span={24}>
          <Alert type="error" showIcon message={t(T.refused, { n: badRows })} style={{ marginBottom: 8 }} />
          <Table
            size="small"
            rowKey={(i) => `${String(i.path[1])}-${String(i.path[2])}-${i.message}`}
            dataSource={issues}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            columns={[
              { key: 'row', title: t(T.row), width: 70, render: (_, i) => String(i.path[1]) },
              { key: 'column', title: t(T.column), width: 140, render: (_, i) => String(i.path[2]) },
              { key: 'problem', title: t(T.problem), render: (_, i) => (lang === 'en' ? i.messageEn : i.message).replace(/^(第 \d+ 行“[^”]*”列：|Row \d+, column “[^”]*”: )/, '') },
            ]}
          />
        </Col>
      )}
    </Row>
  );
}

export function PairingPage() {
  const { t } = useI18n();
  const { scope, can } = useSession();
  const [area, setArea] = useState<{ code: string | null; name: string | null }>({ code: scope?.code ?? null, name: scope?.name ?? null });
  const [version, setVersion] = useState(0);
  const [warnings, setWarnings] = useState<PairingWarning[]>([]);
  const changed = (w: PairingWarning[]) => {
    setWarnings(w);
    setVersion((v) => v + 1);
  };
  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle)}
        extra={
          <div style={{ width: 280 }}>
            <AreaTreeSelect rootCode={scope?.code ?? null} levels={['city', 'county', 'township', 'village']} value={area.code} valueLabel={area.name} onChange={(code) => setArea({ code: code ?? scope?.code ?? null, name: null })} placeholder={t(T.area)} />
          </div>
        }
      />
      <Summary areaCode={area.code} version={version} onDrill={(code, name) => setArea({ code, name })} />
      <LoadWarnings warnings={warnings} onClose={() => setWarnings([])} />
      <Tabs
        items={[
          { key: 'unassigned', label: t(T.unassignedTab), children: <UnassignedTab areaCode={area.code} version={version} onChanged={changed} /> },
          { key: 'helpers', label: t(T.helpersTab), children: <HelpersTab areaCode={area.code} version={version} onChanged={changed} /> },
          ...(can(ASSISTANCE['assistance.pair']) ? [{ key: 'import', label: t(T.importTab), children: <ImportTab onChanged={changed} /> }] : []),
        ]}
      />
    </>
  );
}
