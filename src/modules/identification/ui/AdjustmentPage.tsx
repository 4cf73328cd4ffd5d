/**
 * The yearly dynamic adjustment (/identification/adjustment, 动态调整): the county opens and closes the
 * year's round; everyone in the county sees its progress per village (events of each kind, batches
 * submitted, done by the deadline, days left); village clerks, townships and the county record events
 * on a household found by 户编号 or head name — each event changes the registry in the same step.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Alert, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, InputNumber, Popconfirm, Progress, Row, Select, Space, Table, Tag, Typography, message } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { errorText, get, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { levelOfCode } from '../../../shared/area-code.ts';
import type { Page } from '../../../shared/paging.ts';
import type { HouseholdDto, HouseholdListItem } from '../../households/contract.ts';
import { HOUSEHOLD_EVENT_KINDS, HOUSEHOLD_EVENT_LABELS, MEMBER_ADD_REASONS, MEMBER_REMOVE_REASONS, type HouseholdEventDto, type HouseholdEventKind, type RoundDto, type RoundProgressDto, type VillageProgressDto } from '../adjustment-contract.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { ActionModal } from './ActionModal.tsx';
import { notFuture, P, todayYmd, useCodeLabels } from './procedure-common.tsx';

const T = defineMessages({
  title: { zh: '动态调整', en: 'Dynamic adjustment' },
  subtitle: {
    zh: '县每年开启一轮动态调整并设截止日期：各村登记新增、减少成员，分户、并户，清退识别不准的户，登记返贫；每一事项与户籍变更同时生效。',
    en: 'Each year the county opens a round with a deadline: villages record members added and removed, splits and merges, clear wrongly identified households and register returns to poverty; each event changes the registry at once.',
  },
  round: { zh: '{year} 年动态调整', en: '{year} adjustment round' },
  noRound: { zh: '本县还没有开启动态调整', en: 'No adjustment round has been opened for this county' },
  open: { zh: '开启年度动态调整', en: 'Open the year’s round' },
  close: { zh: '结束本轮', en: 'Close the round' },
  closeConfirm: { zh: '结束后各村登记的事项不再计入本轮。确定结束？', en: 'Events recorded later will not count in this round. Close it?' },
  county: { zh: '县（市、区）', en: 'County' },
  deadline: { zh: '截止日期', en: 'Deadline' },
  daysLeft: { zh: '剩余天数', en: 'Days left' },
  overdue: { zh: '已过截止日期 {n} 天', en: '{n} days past the deadline' },
  days: { zh: '{n} 天', en: '{n} days' },
  status: { zh: '状态', en: 'Status' },
  isOpen: { zh: '进行中', en: 'Open' },
  isClosed: { zh: '已结束', en: 'Closed' },
  noteLabel: { zh: '说明', en: 'Note' },
  chooseCounty: { zh: '请在顶部的区划切换中选择一个县，以开启或查看该县的动态调整。', en: 'Choose a county with the scope switcher at the top to open or follow its round.' },
  progress: { zh: '各村进度', en: 'Progress per village' },
  progressSummary: { zh: '截止日期前已登记或已提交批次的村：{done} / {all}', en: 'Villages that recorded or submitted by the deadline: {done} / {all}' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村', en: 'Village' },
  batches: { zh: '提交批次（按期）', en: 'Batches (on time)' },
  done: { zh: '已完成', en: 'Done' },
  pending: { zh: '未登记', en: 'Nothing yet' },
  record: { zh: '登记调整事项', en: 'Record an event' },
  household: { zh: '农户', en: 'Household' },
  searchHousehold: { zh: '输入户编号或户主姓名查找', en: 'Type a household number or the head’s name' },
  kind: { zh: '事项', en: 'Event' },
  member: { zh: '成员', en: 'Member' },
  members: { zh: '分出的成员（第一位为新户户主）', en: 'Members who leave (the first heads the new household)' },
  name: { zh: '姓名', en: 'Name' },
  sex: { zh: '性别', en: 'Sex' },
  idNumber: { zh: '公民身份号码', en: 'ID number' },
  relation: { zh: '与户主关系', en: 'Relation to head' },
  changeReason: { zh: '变动原因', en: 'Reason' },
  deceasedDate: { zh: '死亡日期', en: 'Date of death' },
  groupName: { zh: '新户所在组', en: 'Group of the new household' },
  into: { zh: '并入的户', en: 'Merge into' },
  mainCause: { zh: '返贫主要原因', en: 'Main cause of the return' },
  reasonText: { zh: '原因', en: 'Reason' },
  recorded: { zh: '已登记：{kind}（{household}）', en: 'Recorded: {kind} ({household})' },
  createdHousehold: { zh: '新户户编号 {no}', en: 'new household no. {no}' },
  events: { zh: '调整事项', en: 'Events' },
  date: { zh: '日期', en: 'Date' },
  details: { zh: '内容', en: 'Details' },
  by: { zh: '登记人', en: 'Recorded by' },
  year: { zh: '年度', en: 'Year' },
  notExited: { zh: '只有已脱贫户可以登记返贫', en: 'Only exited households can return to poverty' },
});

const KIND_COLOR: Record<HouseholdEventKind, string> = { newEntry: 'blue', memberAdded: 'green', memberRemoved: 'orange', split: 'purple', merged: 'cyan', cleared: 'red', returned: 'magenta' };
const RECORDABLE = HOUSEHOLD_EVENT_KINDS.filter((k) => k !== 'newEntry');

function countyCodeOf(code: string | null | undefined): string | null {
  if (!code) return null;
  const level = levelOfCode(code);
  return level === 'county' || level === 'township' || level === 'village' ? `${code.slice(0, 6)}000000` : null;
}

/** A household picker that searches GET /api/households?q=…. */
function HouseholdSearch({ value, onChange, placeholder }: { value?: string | null; onChange?: (id: string | null, item: HouseholdListItem | null) => void; placeholder: string }) {
  const [options, setOptions] = useState<HouseholdListItem[]>([]);
  const [loading, setLoading] = useState(false);
  // Only the latest query's answer is shown: an older, slower answer must not overwrite a newer one.
  const latest = useRef(0);
  const search = async (q: string) => {
    if (q.trim().length < 1) return;
    const seq = ++latest.current;
    setLoading(true);
    try {
      const found = (await get<Page<HouseholdListItem>>('/households', { q: q.trim(), pageSize: 20 })).items.filter((h) => h.active);
      if (seq === latest.current) setOptions(found);
    } catch {
      if (seq === latest.current) setOptions([]);
    } finally {
      if (seq === latest.current) setLoading(false);
    }
  };
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: (q) => void search(q) }}
      allowClear
      value={value ?? null}
      loading={loading}
      placeholder={placeholder}
      notFoundContent={null}
      style={{ width: '100%' }}
      onChange={(id: string | null) => onChange?.(id ?? null, options.find((o) => o.id === id) ?? null)}
      options={options.map((h) => ({ value: h.id, label: `${h.householdNo} · ${h.headName}（${h.villageName}，${h.memberCount} 人）` }))}
    />
  );
}

interface EventForm {
  kind: HouseholdEventKind;
  onDate?: string;
  note?: string;
  reason?: string;
  name?: string;
  sex?: string;
  idNumber?: string;
  relationToHead?: string;
  memberId?: string;
  deceasedDate?: string;
  memberIds?: string[];
  groupName?: string;
  intoHouseholdId?: string;
  mainPovertyCause?: string;
}

function RecordEventCard({ onRecorded }: { onRecorded: () => void }) {
  const { t, lang } = useI18n();
  const label = useCodeLabels();
  const [household, setHousehold] = useState<HouseholdDto | null>(null);
  const [kind, setKind] = useState<HouseholdEventKind | null>(null);
  const [error, setError] = useState<unknown>(null);
  const pick = async (id: string | null) => {
    setHousehold(null);
    setError(null);
    if (!id) return;
    try {
      setHousehold(await get<HouseholdDto>(`/households/${id}`));
    } catch (e) {
      setError(e);
    }
  };
  const active = household?.members.filter((m) => m.status === 'active') ?? [];
  const others = active.filter((m) => m.relationToHead !== 'head');
  const memberOptions = (list: typeof active) => list.map((m) => ({ value: m.id, label: `${m.name}（${label('relationToHead', m.relationToHead)}，${m.age} 岁）` }));
  const codeOptions = (listId: string, values: readonly string[]) => values.map((v) => ({ value: v, label: label(listId, v) }));

  const submit = async (v: EventForm) => {
    if (!household || !kind) return;
    const base = { kind, householdId: household.id, version: household.version, onDate: v.onDate || undefined, note: v.note?.trim() || undefined };
    let body: Record<string, unknown>;
    switch (kind) {
      case 'memberAdded':
        body = { ...base, reason: v.reason, member: { name: v.name, sex: v.sex, idType: 'residentId', idNumber: v.idNumber, relationToHead: v.relationToHead } };
        break;
      case 'memberRemoved':
        body = { ...base, reason: v.reason, memberId: v.memberId, deceasedDate: v.reason === 'death' ? v.deceasedDate || v.onDate || todayYmd() : undefined };
        break;
      case 'split':
        body = { ...base, reason: v.reason?.trim() || undefined, groupName: v.groupName?.trim() || undefined, members: (v.memberIds ?? []).map((id, i) => ({ memberId: id, relationToHead: i === 0 ? 'head' : 'other' })) };
        break;
      case 'merged': {
        const into = await get<HouseholdDto>(`/households/${v.intoHouseholdId}`);
        body = { ...base, reason: v.reason, intoHouseholdId: into.id, intoVersion: into.version };
        break;
      }
      case 'returned':
        body = { ...base, reason: v.reason, mainPovertyCause: v.mainPovertyCause || undefined };
        break;
      default:
        body = { ...base, reason: v.reason };
    }
    const r = await post<{ event: HouseholdEventDto; created: { householdNo: string } | null }>('/identification/household-events', body);
    const created = r.created ? `；${t(T.createdHousehold, { no: r.created.householdNo })}` : '';
    void message.success(t(T.recorded, { kind: HOUSEHOLD_EVENT_LABELS[kind][lang], household: `${r.event.householdNo} ${r.event.headName}` }) + created);
    setKind(null);
    await pick(household.id);
    onRecorded();
  };

  const fields = (k: HouseholdEventKind) => {
    const reasonText = (
      <Form.Item name="reason" label={t(T.reasonText)} rules={[{ required: k !== 'split', whitespace: true, max: 200 }]}>
        <Input.TextArea rows={2} maxLength={200} />
      </Form.Item>
    );
    switch (k) {
      case 'memberAdded':
        return (
          <>
            <Form.Item name="reason" label={t(T.changeReason)} rules={[{ required: true }]}>
              <Select options={codeOptions('memberChangeReason', MEMBER_ADD_REASONS)} />
            </Form.Item>
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="name" label={t(T.name)} rules={[{ required: true, whitespace: true, max: 50 }]}>
                  <Input />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="sex" label={t(T.sex)} rules={[{ required: true }]}>
                  <Select options={codeOptions('sex', ['male', 'female'])} />
                </Form.Item>
              </Col>
            </Row>
            <Form.Item name="idNumber" label={t(T.idNumber)} rules={[{ required: true, whitespace: true }]}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="relationToHead" label={t(T.relation)} rules={[{ required: true }]}>
              <Select options={codeOptions('relationToHead', ['spouse', 'son', 'daughter', 'daughterInLaw', 'sonInLaw', 'grandson', 'granddaughter', 'father', 'mother', 'other'])} />
            </Form.Item>
          </>
        );
      case 'memberRemoved':
        return (
          <>
            <Form.Item name="memberId" label={t(T.member)} rules={[{ required: true }]}>
              <Select options={memberOptions(others)} />
            </Form.Item>
            <Form.Item name="reason" label={t(T.changeReason)} rules={[{ required: true }]}>
              <Select options={codeOptions('memberChangeReason', MEMBER_REMOVE_REASONS)} />
            </Form.Item>
            <Form.Item name="deceasedDate" label={t(T.deceasedDate)} rules={[notFuture(lang)]}>
              <DateInput max={todayYmd()} />
            </Form.Item>
          </>
        );
      case 'split':
        return (
          <>
            <Form.Item name="memberIds" label={t(T.members)} rules={[{ required: true }]}>
              <Select mode="multiple" options={memberOptions(others)} />
            </Form.Item>
            <Form.Item name="groupName" label={t(T.groupName)}>
              <Input maxLength={50} />
            </Form.Item>
            {reasonText}
          </>
        );
      case 'merged':
        return (
          <>
            <Form.Item name="intoHouseholdId" label={t(T.into)} rules={[{ required: true }]}>
              <HouseholdSearch placeholder={t(T.searchHousehold)} />
            </Form.Item>
            {reasonText}
          </>
        );
      case 'returned':
        return (
          <>
            <Form.Item name="mainPovertyCause" label={t(T.mainCause)}>
              <Select allowClear options={codeOptions('povertyCause', ['illness', 'disability', 'schooling', 'disaster', 'marriage', 'funeral', 'lackOfLand', 'lackOfWater', 'lackOfSkills', 'lackOfLabour', 'lackOfFunds', 'poorTransport', 'lackOfMotivation'])} />
            </Form.Item>
            {reasonText}
          </>
        );
      default:
        return reasonText;
    }
  };

  return (
    <Card title={t(T.record)} style={{ marginBottom: 16 }}>
      <Row gutter={12} align="bottom">
        <Col xs={24} md={14}>
          <Typography.Text type="secondary">{t(T.household)}</Typography.Text>
          <HouseholdSearch placeholder={t(T.searchHousehold)} onChange={(id) => void pick(id)} />
        </Col>
        <Col xs={24} md={10}>
          <Space wrap style={{ marginTop: 8 }}>
            {RECORDABLE.map((k) => (
              <Button key={k} disabled={!household || (k === 'returned' && household.status !== 'exited')} title={k === 'returned' ? t(T.notExited) : undefined} onClick={() => setKind(k)}>
                {HOUSEHOLD_EVENT_LABELS[k][lang]}
              </Button>
            ))}
          </Space>
        </Col>
      </Row>
      {error ? <Alert type="error" showIcon style={{ marginTop: 12 }} title={errorText(error, lang)} /> : null}
      {household && (
        <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }} style={{ marginTop: 12 }}>
          <Descriptions.Item label={P.householdNo[lang]}>
            <Link to={`/households/${household.id}`}>{household.householdNo}</Link>
          </Descriptions.Item>
          <Descriptions.Item label={P.head[lang]}>{household.headName}</Descriptions.Item>
          <Descriptions.Item label={P.members[lang]}>{household.memberCount}</Descriptions.Item>
          <Descriptions.Item label={t(T.status)}>
            {label('householdType', household.householdType)} · {label('householdStatus', household.status)}
          </Descriptions.Item>
        </Descriptions>
      )}
      <ActionModal<EventForm>
        open={!!kind && !!household}
        title={kind ? `${HOUSEHOLD_EVENT_LABELS[kind][lang]} · ${household?.householdNo ?? ''} ${household?.headName ?? ''}` : ''}
        name="household-event"
        initialValues={{ onDate: todayYmd() }}
        onCancel={() => setKind(null)}
        onSubmit={submit}
      >
        {() =>
          kind && (
            <>
              {fields(kind)}
              <Form.Item name="onDate" label={t(T.date)} rules={[notFuture(lang)]}>
                <DateInput max={todayYmd()} />
              </Form.Item>
              <Form.Item name="note" label={t(P.note)}>
                <Input maxLength={200} />
              </Form.Item>
            </>
          )
        }
      </ActionModal>
    </Card>
  );
}

function kindTag(kind: HouseholdEventKind, lang: 'zh' | 'en') {
  return <Tag color={KIND_COLOR[kind]}>{HOUSEHOLD_EVENT_LABELS[kind][lang]}</Tag>;
}

function eventDetails(e: HouseholdEventDto, label: (list: string, v: string | null | undefined) => string): string {
  const d = e.details ?? {};
  const parts: string[] = [];
  if (typeof d.memberName === 'string') parts.push(d.memberName);
  if (e.reason && (e.kind === 'memberAdded' || e.kind === 'memberRemoved')) parts.push(label('memberChangeReason', e.reason));
  else if (e.reason) parts.push(e.reason);
  if (typeof d.newHouseholdNo === 'string') parts.push(`→ ${d.newHouseholdNo}`);
  if (typeof d.intoHouseholdNo === 'string') parts.push(`→ ${d.intoHouseholdNo}`);
  return parts.join(' · ');
}

export function AdjustmentPage() {
  const { t, lang } = useI18n();
  const label = useCodeLabels();
  const session = useSignedIn();
  const { can, scope } = useSession();
  // The events are listed for the current scope (never wider than the user's own area: the API answers
  // 404 for the county to a township or a village); the round is the county's, which everyone in it sees.
  const area = scope?.code ?? session.user.areaCode ?? undefined;
  const county = countyCodeOf(area);
  const [rounds, setRounds] = useState<RoundDto[] | null>(null);
  const [progress, setProgress] = useState<RoundProgressDto | null>(null);
  const [events, setEvents] = useState<Page<HouseholdEventDto> | null>(null);
  const [page, setPage] = useState(1);
  const [error, setError] = useState<unknown>(null);
  const [opening, setOpening] = useState(false);

  const load = useCallback(async () => {
    setError(null);
    try {
      const list = county ? (await get<{ items: RoundDto[] }>('/identification/adjustment-rounds', { areaCode: county })).items : [];
      setRounds(list);
      const current = list.find((r) => r.open) ?? list[0];
      setProgress(current ? await get<RoundProgressDto>(`/identification/adjustment-rounds/${current.id}`) : null);
      setEvents(await get<Page<HouseholdEventDto>>('/identification/household-events', { areaCode: area, year: current?.year, page, pageSize: 10 }));
    } catch (e) {
      setError(e);
    }
  }, [area, county, page]);
  useEffect(() => {
    void load();
  }, [load]);

  const close = async (id: string) => {
    try {
      await post(`/identification/adjustment-rounds/${id}/close`);
      await load();
    } catch (e) {
      void message.error(errorText(e, lang));
    }
  };

  const kindColumns = useMemo(
    () =>
      HOUSEHOLD_EVENT_KINDS.map((k) => ({
        title: HOUSEHOLD_EVENT_LABELS[k][lang],
        key: k,
        align: 'right' as const,
        render: (_: unknown, v: VillageProgressDto) => v.counts[k] || '',
      })),
    [lang],
  );

  const canOpen = can(IDENTIFICATION['identification.round']) && !!county && !(rounds ?? []).some((r) => r.open);
  const year = new Date().getFullYear();
  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle)}
        extra={
          canOpen && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpening(true)}>
              {t(T.open)}
            </Button>
          )
        }
      />
      {error ? <LoadError error={error} onRetry={load} /> : null}
      {!county && <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t(T.chooseCounty)} />}
      {county && rounds !== null && !progress && (
        <Card style={{ marginBottom: 16 }}>
          <Empty description={t(T.noRound)} />
        </Card>
      )}
      {progress && (
        <Card
          title={t(T.round, { year: progress.year })}
          style={{ marginBottom: 16 }}
          extra={
            progress.open &&
            can(IDENTIFICATION['identification.round']) && (
              <Popconfirm title={t(T.closeConfirm)} onConfirm={() => void close(progress.id)}>
                <Button danger>{t(T.close)}</Button>
              </Popconfirm>
            )
          }
        >
          <Descriptions size="small" column={{ xs: 1, sm: 2, md: 4 }}>
            <Descriptions.Item label={t(T.county)}>{progress.countyName}</Descriptions.Item>
            <Descriptions.Item label={t(T.deadline)}>{progress.deadline}</Descriptions.Item>
            <Descriptions.Item label={t(T.daysLeft)}>
              {progress.daysLeft >= 0 ? t(T.days, { n: progress.daysLeft }) : <Typography.Text type="danger">{t(T.overdue, { n: -progress.daysLeft })}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t(T.status)}>{progress.open ? <Tag color="processing">{t(T.isOpen)}</Tag> : <Tag>{t(T.isClosed)}</Tag>}</Descriptions.Item>
            {progress.note && <Descriptions.Item label={t(T.noteLabel)}>{progress.note}</Descriptions.Item>}
          </Descriptions>
          <Flex align="center" gap={12} style={{ margin: '12px 0' }}>
            <Typography.Text>{t(T.progressSummary, { done: progress.totals.done, all: progress.totals.villages })}</Typography.Text>
            <Progress percent={progress.totals.villages ? Math.round((progress.totals.done / progress.totals.villages) * 100) : 0} style={{ maxWidth: 240, margin: 0 }} size="small" />
          </Flex>
          <Table<VillageProgressDto>
            rowKey="areaCode"
            size="small"
            dataSource={progress.villages}
            pagination={{ pageSize: 20, showSizeChanger: false }}
            scroll={{ x: 'max-content' }}
            columns={[
              { title: t(T.township), dataIndex: 'townshipName', key: 'township' },
              { title: t(T.village), dataIndex: 'villageName', key: 'village' },
              ...kindColumns,
              { title: t(T.batches), key: 'batches', align: 'right', render: (_, v) => (v.batchesSubmitted ? `${v.batchesSubmitted}（${v.batchesOnTime}）` : '') },
              { title: t(T.progress), key: 'done', render: (_, v) => (v.done ? <Tag color="success">{t(T.done)}</Tag> : <Tag>{t(T.pending)}</Tag>) },
            ]}
            summary={() => (
              <Table.Summary.Row>
                <Table.Summary.Cell index={0} colSpan={2}>
                  {lang === 'en' ? 'Total' : '合计'}
                </Table.Summary.Cell>
                {HOUSEHOLD_EVENT_KINDS.map((k, i) => (
                  <Table.Summary.Cell key={k} index={i + 2} align="right">
                    {progress.totals.counts[k]}
                  </Table.Summary.Cell>
                ))}
                <Table.Summary.Cell index={9} align="right">
                  {progress.totals.batchesSubmitted}
                </Table.Summary.Cell>
                <Table.Summary.Cell index={10}>
                  {progress.totals.done} / {progress.totals.villages}
                </Table.Summary.Cell>
              </Table.Summary.Row>
            )}
          />
        </Card>
      )}
      {can(IDENTIFICATION['identification.adjust']) && <RecordEventCard onRecorded={() => void load()} />}
      <Card title={t(T.events)}>
        <Table<HouseholdEventDto>
          rowKey="id"
          size="small"
          loading={events === null && !error}
          dataSource={events?.items ?? []}
          scroll={{ x: 'max-content' }}
          pagination={{ current: page, pageSize: 10, total: events?.total ?? 0, showSizeChanger: false, onChange: setPage }}
          columns={[
            { title: t(T.date), dataIndex: 'onDate', key: 'onDate' },
            { title: t(T.kind), key: 'kind', render: (_, e) => kindTag(e.kind, lang) },
            { title: P.householdNo[lang], key: 'no', render: (_, e) => <Link to={`/households/${e.householdId}`}>{e.householdNo}</Link> },
            { title: P.head[lang], dataIndex: 'headName', key: 'head' },
            { title: t(T.village), dataIndex: 'villageName', key: 'village' },
            { title: t(T.details), key: 'details', render: (_, e) => eventDetails(e, label) },
            { title: t(T.year), dataIndex: 'year', key: 'year' },
            { title: t(T.by), key: 'by', render: (_, e) => `${e.actorName} ${formatDateTime(e.at)}` },
          ]}
        />
      </Card>
      <ActionModal<{ year: number; deadline: string; note?: string }>
        open={opening}
        title={t(T.open)}
        name="adjustment-round"
        initialValues={{ year, deadline: `${year}-12-31` }}
        onCancel={() => setOpening(false)}
        onSubmit={async (v) => {
          await post('/identification/adjustment-rounds', { areaCode: county, year: v.year, deadline: v.deadline, note: v.note?.trim() || undefined });
          setOpening(false);
          await load();
        }}
      >
        {() => (
          <>
            <Form.Item name="year" label={t(T.year)} rules={[{ required: true }]}>
              <InputNumber min={2013} max={2100} style={{ width: '100%' }} />
            </Form.Item>
            <Form.Item name="deadline" label={t(T.deadline)} rules={[{ required: true }]}>
              <DateInput min={todayYmd()} />
            </Form.Item>
            <Form.Item name="note" label={t(T.noteLabel)}>
              <Input.TextArea rows={2} maxLength={500} />
            </Form.Item>
          </>
        )}
      </ActionModal>
    </>
  );
}

