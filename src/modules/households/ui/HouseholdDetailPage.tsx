/**
 * A household (/households/:id): tabs 基本信息, 家庭成员 (add / correct / remove with the reason / move
 * to another household), 收入 (per year, with the set-income form), 变更记录 (with a year selector to
 * view the household as it stood at the end of a year), and its plausibility warnings. Roles holding
 * households.read-full see identities in full (the view is recorded). Every write sends the version
 * it was based on; a stale edit opens the conflict dialog.
 */
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Form, Input, InputNumber, Modal, Row, Select, Skeleton, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { EditOutlined, IdcardOutlined, PlusOutlined, UserAddOutlined } from '@ant-design/icons';
import type { HouseholdDto, HouseholdListItem, IncomeDto, MemberDto } from '../contract.ts';
import { deriveIncome } from '../rules.ts';
import { HOUSEHOLDS } from '../permissions.ts';
import { MEMBER_CHANGE_DIRECTION } from '../codes.ts';
import type { Page } from '../../../shared/paging.ts';
import { applyFieldErrors, errorText, get, post, put } from '../../../client/api-client.ts';
import { defineMessages, joinList, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession } from '../../../client/session.tsx';
import { Clip, codeOptions, colon, employmentText, fieldLabel, gradeText, HF, IF, label, loadHousehold, MF, paren, R, showValue, yuan } from './common.tsx';
import { ConflictDialog, conflictRows, staleCurrent, type ConflictRow } from './ConflictDialog.tsx';
import { blankMember, memberBody, MemberFields } from './fields.tsx';

const T = defineMessages({
  basic: { zh: '基本信息', en: 'Household' },
  titleOf: { zh: '{name}户', en: 'Household of {name}' },
  members: { zh: '家庭成员', en: 'Members' },
  incomes: { zh: '收入', en: 'Income' },
  history: { zh: '变更记录', en: 'History' },
  edit: { zh: '修改信息', en: 'Edit' },
  addMember: { zh: '新增成员', en: 'Add a member' },
  correct: { zh: '修改', en: 'Correct' },
  remove: { zh: '减少', en: 'Remove' },
  move: { zh: '迁入他户', en: 'Move' },
  reason: { zh: '变动原因', en: 'Reason' },
  note: { zh: '说明', en: 'Note' },
  correctReason: { zh: '修改原因', en: 'Reason for the correction' },
  addTitle: { zh: '新增家庭成员', en: 'Add a member' },
  correctTitle: { zh: '修改成员信息：{name}', en: 'Correct a member: {name}' },
  removeTitle: { zh: '减少家庭成员：{name}', en: 'Remove a member: {name}' },
  moveTitle: { zh: '将 {name} 迁入另一户', en: 'Move {name} to another household' },
  target: { zh: '迁入的农户', en: 'Household moving to' },
  targetSearch: { zh: '输入户主姓名或户编号查找', en: 'Search by head name or household no.' },
  newRelation: { zh: '在新户中与户主关系', en: 'Relation to the new head' },
  deceasedDate: { zh: '死亡日期', en: 'Date of death' },
  showRemoved: { zh: '显示已减少的成员', en: 'Show removed members' },
  removedTag: { zh: '已减少', en: 'Removed' },
  setIncome: { zh: '登记年度收入', en: 'Record a year\'s income' },
  incomeTitle: { zh: '年度收入', en: 'Income of a year' },
  derived: { zh: '按 {n} 人计算', en: 'For {n} persons' },
  noIncome: { zh: '尚未登记收入', en: 'No income recorded yet' },
  saved: { zh: '已保存', en: 'Saved' },
  version: { zh: '版本', en: 'Version' },
  change: { zh: '变更', en: 'Change' },
  changedFields: { zh: '变更内容', en: 'Changed' },
  changedAt: { zh: '时间', en: 'When' },
  changedBy: { zh: '操作人', en: 'By' },
  year: { zh: '归属年度', en: 'Year' },
  asOf: { zh: '查看档案时点', en: 'View as of' },
  asOfNow: { zh: '当前', en: 'Now' },
  asOfYear: { zh: '{year} 年底', en: 'End of {year}' },
  asOfAlert: { zh: '正在查看该户 {year} 年底的档案（只读）。', en: 'Viewing the household as it stood at the end of {year} (read-only).' },
  warnings: { zh: '请核实以下情况（不影响保存）', en: 'Please check (saved anyway)' },
  removedHousehold: { zh: '该户已注销：{reason}', en: 'This household is removed: {reason}' },
  headCannot: { zh: '户主不能直接减少或迁出，请先将另一名成员设为户主', en: 'Make another member the head before removing or moving the head' },
  yuanHint: { zh: '单位：元/年', en: 'yuan per year' },
  ok: { zh: '保存', en: 'Save' },
  keptTheirs: { zh: '已采用他人保存的当前值，您的这次修改未保存', en: 'The current values were kept; your change was not saved' },
});

const CHANGE_LABELS: Record<string, { zh: string; en: string }> = {
  'household.register': { zh: '建档登记', en: 'Registered' },
  'household.update': { zh: '修改农户信息', en: 'Household edited' },
  'household.remove': { zh: '注销', en: 'Removed' },
  'members.add': { zh: '新增成员', en: 'Member added' },
  'members.update': { zh: '修改成员', en: 'Member corrected' },
  'members.remove': { zh: '减少成员', en: 'Member removed' },
  'members.move-in': { zh: '成员迁入', en: 'Member moved in' },
  'members.move-out': { zh: '成员迁出', en: 'Member moved out' },
  'income.set': { zh: '登记收入', en: 'Income recorded' },
};

interface HistoryItem {
  version: number;
  change: string;
  changedFields: string[];
  reason: string | null;
  changedAt: string;
  changedByName: string;
  year: number;
}

const MEMBER_KEYS = [
  'name', 'sex', 'idType', 'idNumber', 'birthDate', 'relationToHead', 'ethnicity', 'politicalStatus', 'education', 'schooling', 'health', 'diseaseName',
  'disabilityCategory', 'disabilityGrade', 'labourAbility', 'employment', 'monthsWorked', 'medicalInsurance', 'seriousIllnessInsurance', 'pensionInsurance',
  'minimumLiving', 'extremeHardship', 'activeMilitary', 'phone', 'alive', 'deceasedDate',
] as const;
const INCOME_KEYS = ['wageIncome', 'productionIncome', 'propertyIncome', 'transferIncome', 'productionCosts'] as const;

/** A member's editable fields as the form holds them. */
function memberValues(m: MemberDto): Record<string, unknown> {
  return Object.fromEntries(MEMBER_KEYS.map((k) => [k, m[k]]));
}

type Dialog =
  | { kind: 'add' }
  | { kind: 'correct'; member: MemberDto }
  | { kind: 'remove'; member: MemberDto }
  | { kind: 'move'; member: MemberDto }
  | { kind: 'income'; income?: IncomeDto };

interface Pending {
  rows: ConflictRow[];
  current: HouseholdDto;
  retry: (current: HouseholdDto, keep: Record<string, unknown>) => Promise<HouseholdDto | null>;
}

/** A tab another capability adds to the household page (client/router.tsx composes them, e.g. 帮扶 from assistance). */
export interface HouseholdTab {
  key: string;
  label: { zh: string; en: string };
  render: (householdId: string) => ReactNode;
}

export function HouseholdDetailPage({ extraTabs = [] }: { extraTabs?: HouseholdTab[] } = {}) {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const full = can(HOUSEHOLDS['households.read-full']);
  const canUpdate = can(HOUSEHOLDS['households.update']);
  const [h, setH] = useState<HouseholdDto | null>(null);
  const [history, setHistory] = useState<HistoryItem[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [asOfYear, setAsOfYear] = useState<number | null>(null);
  const [tab, setTab] = useState('basic');
  const [showRemoved, setShowRemoved] = useState(false);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm();

  const load = useCallback(async () => {
    setError(null);
    try {
      const [hh, hist] = await Promise.all([loadHousehold(id, full, asOfYear), get<{ items: HistoryItem[] }>(`/households/${id}/history`)]);
      setH(hh);
      setHistory(hist.items);
    } catch (e) {
      setError(e);
    }
  }, [id, full, asOfYear]);

  useEffect(() => {
    void load();
  }, [load]);

  const historyYears = useMemo(() => [...new Set(history.map((x) => x.year))].sort((a, b) => b - a), [history]);
  const readOnly = asOfYear !== null || !h?.active || !canUpdate;

  /** Runs a write; a stale edit opens the conflict dialog with `mine` against `theirsOf(current)`. */
  const write = async (
    attempt: (version: number, keep: Record<string, unknown> | null, current: HouseholdDto | null) => Promise<HouseholdDto | null>,
    mine: Record<string, unknown>,
    theirsOf: (current: HouseholdDto) => Record<string, unknown>,
  ): Promise<boolean> => {
    if (!h) return false;
    try {
      const next = await attempt(h.version, null, null);
      if (next) setH(next);
      message.success(t(T.saved));
      void get<{ items: HistoryItem[] }>(`/households/${id}/history`).then((r) => setHistory(r.items));
      return true;
    } catch (e) {
      const current = staleCurrent(e);
      if (!current) throw e;
      const before = h;
      setH(current);
      setPending({ rows: conflictRows(mine, theirsOf(current), theirsOf(before)), current, retry: (cur, keep) => attempt(cur.version, keep, cur) });
      return false;
    }
  };

  const resolve = async (keep: Record<string, unknown>) => {
    if (!pending) return;
    setSaving(true);
    try {
      const next = await pending.retry(pending.current, keep);
      if (next) {
        setH(next);
        message.success(t(T.saved));
      } else message.info(t(T.keptTheirs));
      setPending(null);
      setDialog(null);
      await load();
    } catch (e) {
      const current = staleCurrent(e);
      if (current) setPending({ ...pending, current, rows: pending.rows.map((r) => r) });
      else message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  const submitDialog = async (v: Record<string, unknown>) => {
    if (!h || !dialog) return;
    setSaving(true);
    try {
      let ok = false;
      if (dialog.kind === 'add') {
        const member = memberBody(v.member as Record<string, unknown>);
        ok = await write(
          (version) => post<HouseholdDto>(`/households/${id}/members`, { member, version, reason: v.reason, note: v.note || null }),
          {},
          () => ({}),
        );
      } else if (dialog.kind === 'correct') {
        const before = memberValues(dialog.member);
        const after = memberBody(v.member as Record<string, unknown>);
        const changed = Object.fromEntries(Object.entries(after).filter(([k, x]) => JSON.stringify(x ?? null) !== JSON.stringify(before[k] ?? null)));
        const memberId = dialog.member.id;
        ok = await write(
          async (version, keep, current) => {
            if (keep === null) return put<HouseholdDto>(`/households/${id}/members/${memberId}`, { member: after, version, reason: v.reason || undefined });
            const cur = current?.members.find((m) => m.id === memberId);
            if (Object.keys(keep).length === 0) return null;
            return put<HouseholdDto>(`/households/${id}/members/${memberId}`, { member: memberBody({ ...(cur ? memberValues(cur) : after), ...keep }), version, reason: v.reason || undefined });
          },
          changed,
          (cur) => {
            const m = cur.members.find((x) => x.id === memberId);
            return m ? memberValues(m) : {};
          },
        );
      } else if (dialog.kind === 'remove') {
        const memberId = dialog.member.id;
        ok = await write((version) => post<HouseholdDto>(`/households/${id}/members/${memberId}/remove`, { version, reason: v.reason, note: v.note || null, deceasedDate: v.deceasedDate || null }), {}, () => ({}));
      } else if (dialog.kind === 'move') {
        const memberId = dialog.member.id;
        const target = JSON.parse(String(v.target)) as { id: string; version: number };
        ok = await write(
          (version) => post<HouseholdDto>(`/households/${id}/members/${memberId}/move`, { version, toHouseholdId: target.id, toVersion: target.version, relationToHead: v.relationToHead, reason: v.reason, note: v.note || null }),
          {},
          () => ({}),
        );
      } else if (dialog.kind === 'income') {
        const inc = Object.fromEntries([['year', v.year], ...INCOME_KEYS.map((k) => [k, Number(v[k] ?? 0)])]) as Record<string, number>;
        const year = inc.year!;
        const mine = Object.fromEntries(INCOME_KEYS.map((k) => [k, inc[k]]));
        ok = await write(
          (version, keep, current) => {
            if (keep === null) return put<HouseholdDto>(`/households/${id}/income`, { ...inc, version });
            if (Object.keys(keep).length === 0) return Promise.resolve(null);
            const cur = current?.incomes.find((x) => x.year === year);
            return put<HouseholdDto>(`/households/${id}/income`, { year, ...Object.fromEntries(INCOME_KEYS.map((k) => [k, cur?.[k] ?? 0])), ...keep, version });
          },
          mine,
          (cur) => {
            const x = cur.incomes.find((i) => i.year === year);
            return x ? Object.fromEntries(INCOME_KEYS.map((k) => [k, x[k]])) : {};
          },
        );
      }
      if (ok) setDialog(null);
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
      else message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  const open = (d: Dialog) => {
    form.resetFields();
    if (d.kind === 'add') form.setFieldsValue({ member: blankMember(), reason: 'birth' });
    if (d.kind === 'correct') form.setFieldsValue({ member: memberValues(d.member) });
    if (d.kind === 'remove') form.setFieldsValue({ reason: 'death' });
    if (d.kind === 'move') form.setFieldsValue({ reason: 'householdSplit' });
    if (d.kind === 'income') {
      const i = d.income;
      form.setFieldsValue(i ? { year: i.year, ...Object.fromEntries(INCOME_KEYS.map((k) => [k, i[k]])) } : { year: new Date().getFullYear() - 1, ...Object.fromEntries(INCOME_KEYS.map((k) => [k, 0])) });
    }
    setDialog(d);
  };

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!h) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;

  const activeMembers = h.members.filter((m) => m.status === 'active');
  const en = lang === 'en';
  const clip = { ellipsis: { showTitle: false } };
  // Widths fit a 1366 px window without scrolling sideways; long labels end in an ellipsis with a tooltip.
  const memberColumns: TableColumnsType<MemberDto> = [
    {
      title: t(MF.name),
      dataIndex: 'name',
      width: 116,
      render: (v: string, m) => (
        <Space size={4} className="fupin-nowrap">
          {v}
          {m.relationToHead === 'head' && <Tag color="red">{t(R.head)}</Tag>}
          {m.status === 'removed' && <Tag>{t(T.removedTag)}</Tag>}
        </Space>
      ),
    },
    { title: t(MF.sex), dataIndex: 'sex', width: en ? 72 : 50, render: (v: string) => label('sex', v, lang) },
    { title: t(MF.idNumber), dataIndex: 'idNumber', width: 156, render: (v: string) => <span className="fupin-mono">{v}</span> },
    { title: t(MF.age), dataIndex: 'age', width: 50, align: 'right' },
    { title: t(MF.relationToHead), dataIndex: 'relationToHead', width: 90, ...clip, render: (v: string) => <Clip text={label('relationToHead', v, lang)} /> },
    { title: t(MF.education), dataIndex: 'education', width: en ? 96 : 90, ...clip, render: (v: string | null) => <Clip text={label('education', v, lang)} /> },
    { title: t(MF.health), dataIndex: 'health', width: 80, ...clip, render: (v: string | null) => <Clip text={label('health', v, lang)} /> },
    { title: t(MF.labourAbility), dataIndex: 'labourAbility', width: 90, ...clip, render: (v: string | null) => <Clip text={label('labourAbility', v, lang)} /> },
    { title: t(MF.employment), key: 'emp', width: en ? 110 : 120, ...clip, render: (_, m) => <Clip text={employmentText(m, lang)} /> },
    // The change reason only says something of removed members.
    ...(showRemoved
      ? [{ title: t(T.reason), key: 'reason', width: 110, ...clip, render: (_: unknown, m: MemberDto) => <Clip text={m.changeReason ? `${label('memberChangeReason' as never, m.changeReason, lang)}${m.changeNote ? `${colon(lang)}${m.changeNote}` : ''}` : '—'} /> }]
      : []),
    ...(!readOnly
      ? [
          {
            title: '',
            key: 'actions',
            width: en ? 180 : 150,
            fixed: 'right' as const,
            render: (_: unknown, m: MemberDto) =>
              m.status === 'active' && (
                <Space size={0} className="fupin-member-actions">
                  <Button size="small" type="link" onClick={() => open({ kind: 'correct', member: m })}>{t(T.correct)}</Button>
                  <Button size="small" type="link" danger disabled={m.relationToHead === 'head'} title={m.relationToHead === 'head' ? t(T.headCannot) : undefined} onClick={() => open({ kind: 'remove', member: m })}>{t(T.remove)}</Button>
                  <Button size="small" type="link" disabled={m.relationToHead === 'head'} title={m.relationToHead === 'head' ? t(T.headCannot) : undefined} onClick={() => open({ kind: 'move', member: m })}>{t(T.move)}</Button>
                </Space>
              ),
          },
        ]
      : []),
  ];

  const incomeColumns: TableColumnsType<IncomeDto> = [
    { title: t(IF.year), dataIndex: 'year', width: 80 },
    ...INCOME_KEYS.map((k) => ({ title: t(IF[k]), dataIndex: k, align: 'right' as const, render: (v: number) => yuan(v) })),
    { title: t(IF.netIncome), dataIndex: 'netIncome', align: 'right', render: (v: number) => yuan(v) },
    { title: t(IF.memberCount), dataIndex: 'memberCount', align: 'right', width: 80 },
    { title: t(IF.perCapitaNetIncome), dataIndex: 'perCapitaNetIncome', align: 'right', render: (v: number) => <strong>{yuan(v)}</strong> },
    ...(!readOnly ? [{ title: '', key: 'a', width: 80, render: (_: unknown, i: IncomeDto) => <Button size="small" type="link" onClick={() => open({ kind: 'income', income: i })}>{t(T.correct)}</Button> }] : []),
  ];

  const d = (f: keyof typeof HF, v: unknown) => (
    <Descriptions.Item key={f} label={t(HF[f])}>
      {showValue(f, v, lang)}
    </Descriptions.Item>
  );

  return (
    <>
      <PageHeader
        breadcrumb={[
          { key: 'list', title: <Link to="/households">{t(R.listTitle)}</Link> },
          { key: 'v', title: <Link to={`/villages/${h.areaCode}/register`}>{h.villageName}</Link> },
          { key: 'h', title: h.householdNo },
        ]}
        title={
          <Space>
            <span data-testid="household-title">{t(T.titleOf, { name: h.headName })}</span>
            <Tag color="red">{label('householdType', h.householdType, lang)}</Tag>
            <Tag color={h.status === 'notExited' ? 'volcano' : 'green'}>{label('householdStatus', h.status, lang)}</Tag>
            {!h.active && <Tag>{t(R.removedTag)}</Tag>}
          </Space>
        }
        subtitle={`${t(R.householdNo)} ${h.householdNo} · ${h.areaFullName}${h.groupName ? ` ${h.groupName}` : ''} · ${t(T.version)} ${h.version}`}
        extra={
          <>
            <Button icon={<IdcardOutlined />} onClick={() => navigate(`/households/${h.id}/card`)}>{t(R.card)}</Button>
            {!readOnly && (
              <Button type="primary" icon={<EditOutlined />} onClick={() => navigate(`/households/${h.id}/edit`)}>
                {t(T.edit)}
              </Button>
            )}
          </>
        }
      />
      {h.full && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(R.fullRecorded)} />}
      {asOfYear !== null && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t(T.asOfAlert, { year: asOfYear })} />}
      {!h.active && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t(T.removedHousehold, { reason: h.removedReason ?? '' })} />}
      {h.warnings.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(T.warnings)}
          description={<ul style={{ margin: 0, paddingInlineStart: 18 }}>{h.warnings.map((w, i) => <li key={i}>{lang === 'en' ? w.messageEn : w.message}</li>)}</ul>}
          data-testid="warnings"
        />
      )}
      <Card size="small">
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            {
              key: 'basic',
              label: t(T.basic),
              children: (
                <Descriptions bordered size="small" column={3}>
                  <Descriptions.Item label={t(R.householdNo)}>{h.householdNo}</Descriptions.Item>
                  <Descriptions.Item label={t(R.head)}>{h.headName}</Descriptions.Item>
                  <Descriptions.Item label={t(R.members)}>{h.memberCount}</Descriptions.Item>
                  <Descriptions.Item label={t(HF.areaCode)} span={2}>{h.areaFullName}</Descriptions.Item>
                  {d('groupName', h.groupName)}
                  {d('address', h.address)}
                  {d('householdType', h.householdType)}
                  {d('status', h.status)}
                  {d('povertyAttribute', h.povertyAttribute)}
                  {d('identificationStandard', h.identificationStandard)}
                  {d('identificationYear', h.identificationYear)}
                  {d('mainPovertyCause', h.mainPovertyCause)}
                  {d('otherPovertyCauses', h.otherPovertyCauses)}
                  <Descriptions.Item label={t(R.income)}>{h.latestIncomeYear ? `${yuan(h.latestPerCapitaNetIncome)}${paren(h.latestIncomeYear, lang)}` : '—'}</Descriptions.Item>
                  {d('phone', h.phone)}
                  {d('bankName', h.bankName)}
                  {d('bankAccount', h.bankAccount)}
                  {d('housingArea', h.housingArea)}
                  {d('housingStructure', h.housingStructure)}
                  <Descriptions.Item label={t(HF.housingDangerGrade)}>{h.housingDangerGrade ? gradeText(h.housingDangerGrade, lang) : '—'}</Descriptions.Item>
                  {d('housingRenovated', h.housingRenovated)}
                  {d('safeDrinkingWater', h.safeDrinkingWater)}
                  {d('drinkingWaterDifficulty', h.drinkingWaterDifficulty)}
                  {d('cultivatedLand', h.cultivatedLand)}
                  {d('forestLand', h.forestLand)}
                  {d('relocated', h.relocated)}
                  {d('relocationType', h.relocationType)}
                  {d('reservoirMigrant', h.reservoirMigrant)}
                  {d('militaryFamily', h.militaryFamily)}
                  <Descriptions.Item label={t(R.updatedAt)}>{formatDateTime(h.updatedAt)}</Descriptions.Item>
                </Descriptions>
              ),
            },
            {
              key: 'members',
              label: `${t(T.members)}${paren(activeMembers.length, lang)}`,
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    {!readOnly && <Button type="primary" icon={<UserAddOutlined />} onClick={() => open({ kind: 'add' })}>{t(T.addMember)}</Button>}
                    <label className="fupin-nowrap">
                      <Switch size="small" checked={showRemoved} onChange={setShowRemoved} /> {t(T.showRemoved)}
                    </label>
                  </Space>
                  <Table<MemberDto> rowKey="id" size="small" pagination={false} columns={memberColumns} dataSource={showRemoved ? h.members : activeMembers} scroll={{ x: memberColumns.reduce((n, c) => n + Number(c.width ?? 0), 0) }} />
                </>
              ),
            },
            {
              key: 'income',
              label: t(T.incomes),
              children: (
                <>
                  {!readOnly && <Button type="primary" icon={<PlusOutlined />} style={{ marginBottom: 8 }} onClick={() => open({ kind: 'income' })}>{t(T.setIncome)}</Button>}
                  <Table<IncomeDto> rowKey="year" size="small" pagination={false} columns={incomeColumns} dataSource={[...h.incomes].sort((a, b) => b.year - a.year)} locale={{ emptyText: t(T.noIncome) }} />
                </>
              ),
            },
            ...extraTabs.map((x) => ({ key: x.key, label: t(x.label), children: x.render(h.id) })),
            {
              key: 'history',
              label: t(T.history),
              children: (
                <>
                  <Space style={{ marginBottom: 8 }}>
                    {t(T.asOf)}
                    <Select
                      style={{ width: 140 }}
                      value={asOfYear ?? 0}
                      onChange={(y: number) => setAsOfYear(y === 0 ? null : y)}
                      options={[{ value: 0, label: t(T.asOfNow) }, ...historyYears.map((y) => ({ value: y, label: t(T.asOfYear, { year: y }) }))]}
                      aria-label={t(T.asOf)}
                    />
                  </Space>
                  <Table<HistoryItem>
                    rowKey="version"
                    size="small"
                    pagination={{ pageSize: 20, hideOnSinglePage: true }}
                    dataSource={[...history].sort((a, b) => b.version - a.version)}
                    columns={[
                      { title: t(T.version), dataIndex: 'version', width: 60 },
                      { title: t(T.change), dataIndex: 'change', width: 120, render: (c: string) => CHANGE_LABELS[c]?.[lang] ?? c },
                      { title: t(T.changedFields), dataIndex: 'changedFields', render: (fs: string[]) => joinList(fs.map((f) => (f.includes('.') ? f.split('.').map((p, i) => (i === 0 ? p : fieldLabel(p, lang))).join(' · ') : fieldLabel(f, lang))), lang) || '—' },
                      { title: t(T.reason), dataIndex: 'reason', width: 200, render: (r: string | null) => (r ? r.replace(/^([a-zA-Z]+)/, (m) => label('memberChangeReason', m, lang)) : '—') },
                      { title: t(T.changedBy), dataIndex: 'changedByName', width: 120 },
                      { title: t(T.changedAt), dataIndex: 'changedAt', width: 140, render: (v: string) => formatDateTime(v) },
                      { title: t(T.year), dataIndex: 'year', width: 80 },
                    ]}
                  />
                </>
              ),
            },
          ]}
        />
      </Card>
      <Modal
        open={dialog !== null}
        width={dialog?.kind === 'add' || dialog?.kind === 'correct' ? 1000 : 560}
        title={
          dialog?.kind === 'add' ? t(T.addTitle)
          : dialog?.kind === 'correct' ? t(T.correctTitle, { name: dialog.member.name })
          : dialog?.kind === 'remove' ? t(T.removeTitle, { name: dialog.member.name })
          : dialog?.kind === 'move' ? t(T.moveTitle, { name: dialog.member.name })
          : t(T.incomeTitle)
        }
        okText={t(T.ok)}
        onOk={() => form.submit()}
        confirmLoading={saving}
        onCancel={() => setDialog(null)}
        maskClosable={false}
        destroyOnHidden
      >
        <Form form={form} name="dlg" layout="vertical" onFinish={submitDialog} preserve={false}>
          {(dialog?.kind === 'add' || dialog?.kind === 'correct') && <MemberFields form={form} rel={['member']} abs={['member']} />}
          {dialog?.kind === 'add' && <ReasonFields direction="added" />}
          {dialog?.kind === 'correct' && (
            <Form.Item name="reason" label={t(T.correctReason)} rules={[{ max: 200 }]}>
              <Input maxLength={200} />
            </Form.Item>
          )}
          {dialog?.kind === 'remove' && <ReasonFields direction="removed" withDeath />}
          {dialog?.kind === 'move' && <MoveFields householdId={h.id} />}
          {dialog?.kind === 'income' && <IncomeFields memberCount={activeMembers.length} />}
        </Form>
      </Modal>
      <ConflictDialog open={pending !== null} current={pending?.current ?? null} rows={pending?.rows ?? []} saving={saving} onResolve={resolve} onCancel={() => { setPending(null); void load(); }} />
    </>
  );
}

function ReasonFields({ direction, withDeath }: { direction: 'added' | 'removed'; withDeath?: boolean }) {
  const { t, lang } = useI18n();
  const reason = Form.useWatch('reason') as string | undefined;
  const options = codeOptions('memberChangeReason', lang).filter((o) => MEMBER_CHANGE_DIRECTION[o.value as keyof typeof MEMBER_CHANGE_DIRECTION] === direction);
  return (
    <Row gutter={12}>
      <Col span={8}>
        <Form.Item name="reason" label={t(T.reason)} rules={[{ required: true }]}>
          <Select options={options} />
        </Form.Item>
      </Col>
      {withDeath && reason === 'death' && (
        <Col span={8}>
          <Form.Item name="deceasedDate" label={t(T.deceasedDate)} rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}>
            <Input placeholder="YYYY-MM-DD" maxLength={10} />
          </Form.Item>
        </Col>
      )}
      <Col span={withDeath && reason === 'death' ? 8 : 16}>
        <Form.Item name="note" label={t(T.note)} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
    </Row>
  );
}

function MoveFields({ householdId }: { householdId: string }) {
  const { t, lang } = useI18n();
  const { scope } = useSession();
  const [options, setOptions] = useState<{ value: string; label: string }[]>([]);
  const search = async (q: string) => {
    if (q.trim().length < 1) return;
    try {
      const r = await get<Page<HouseholdListItem>>('/households', { q: q.trim(), areaCode: scope?.code, pageSize: 20 });
      setOptions(r.items.filter((x) => x.id !== householdId && x.active).map((x) => ({ value: JSON.stringify({ id: x.id, version: x.version }), label: `${x.householdNo} ${x.headName}${paren(x.villageName, lang)}` })));
    } catch {}
  };
  return (
    <>
      <Form.Item name="target" label={t(T.target)} rules={[{ required: true }]}>
        <Select showSearch={{ filterOption: false, onSearch: (q) => void search(q) }} options={options} placeholder={t(T.targetSearch)} />
      </Form.Item>
      <Form.Item name="relationToHead" label={t(T.newRelation)} rules={[{ required: true }]}>
        <Select showSearch={{ optionFilterProp: 'label' }} options={codeOptions('relationToHead', lang).filter((o) => o.value !== 'head')} />
      </Form.Item>
      <ReasonFields direction="removed" />
    </>
  );
}

function IncomeFields({ memberCount }: { memberCount: number }) {
  const { t } = useI18n();
  const form = Form.useFormInstance();
  const v = (Form.useWatch([], form) ?? {}) as Record<string, number | undefined>;
  const figures = memberCount > 0 ? deriveIncome(Object.fromEntries(INCOME_KEYS.map((k) => [k, Number(v[k] ?? 0) || 0])) as never, memberCount) : null;
  return (
    <>
      <Form.Item name="year" label={t(IF.year)} rules={[{ required: true }]}>
        <InputNumber min={2000} max={2100} precision={0} style={{ width: 160 }} />
      </Form.Item>
      <Row gutter={12}>
        {INCOME_KEYS.map((k) => (
          <Col span={12} key={k}>
            <Form.Item name={k} label={t(IF[k])} tooltip={t(T.yuanHint)}>
              <InputNumber min={0} max={100000000} precision={2} step={100} prefix="¥" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        ))}
      </Row>
      {figures && (
        <Descriptions size="small" bordered column={1} title={t(T.derived, { n: memberCount })} data-testid="income-derived">
          <Descriptions.Item label={t(IF.netIncome)}>{yuan(figures.netIncome)}</Descriptions.Item>
          <Descriptions.Item label={t(IF.perCapitaNetIncome)}>
            <strong>{yuan(figures.perCapitaNetIncome)}</strong>
          </Descriptions.Item>
        </Descriptions>
      )}
      <Typography.Text type="secondary" />
    </>
  );
}
