/**
 * 帮扶单位与责任人 (/assistance/units): the assisting units on the user's line and the helpers with
 * their load (households currently assigned; a red tag above the maximum). Officers who pair
 * (assistance.pair) register and edit units and helpers of their own area, link a helper to an
 * account of role 帮扶责任人 by username, and deactivate them.
 */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Button, Form, Input, InputNumber, Modal, Select, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import type { Page } from '../../../shared/paging.ts';
import { ASSISTANCE } from '../permissions.ts';
import { labelOf, UNIT_KIND, UNIT_LEVEL } from '../codes.ts';
import type { HelperDto, HelperSaveResult, PairingWarning, UnitDto } from '../pairing-contract.ts';
import { ApiError, applyFieldErrors, errorText, get, post, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { LoadTag, LoadWarnings } from './pairing-ui.tsx';

const T = defineMessages({
  title: { zh: '帮扶单位与责任人', en: 'Assisting units and helpers' },
  subtitle: {
    zh: '本级及上级的帮扶单位、帮扶责任人及其帮扶户数；超出上限的以红色标出。',
    en: 'Assisting units and helpers of your area and the areas above it, with each helper’s load; those above the maximum are marked red.',
  },
  units: { zh: '帮扶单位', en: 'Units' },
  helpers: { zh: '帮扶责任人', en: 'Helpers' },
  addUnit: { zh: '新增单位', en: 'New unit' },
  addHelper: { zh: '新增帮扶责任人', en: 'New helper' },
  editUnit: { zh: '修改帮扶单位', en: 'Edit unit' },
  editHelper: { zh: '修改帮扶责任人', en: 'Edit helper' },
  name: { zh: '名称', en: 'Name' },
  personName: { zh: '姓名', en: 'Name' },
  kind: { zh: '类型', en: 'Kind' },
  level: { zh: '层级', en: 'Level' },
  area: { zh: '所属区划', en: 'Area' },
  workArea: { zh: '工作区划', en: 'Works in' },
  contact: { zh: '联系人', en: 'Contact' },
  phone: { zh: '电话', en: 'Phone' },
  helperCount: { zh: '责任人数', en: 'Helpers' },
  status: { zh: '状态', en: 'Status' },
  activeTag: { zh: '在用', en: 'Active' },
  inactiveTag: { zh: '已停用', en: 'Inactive' },
  active: { zh: '在用（关闭即停用）', en: 'Active (off: deactivate)' },
  actions: { zh: '操作', en: 'Action' },
  edit: { zh: '修改', en: 'Edit' },
  unit: { zh: '帮扶单位', en: 'Unit' },
  post: { zh: '职务', en: 'Post' },
  account: { zh: '登录账号', en: 'Account' },
  username: { zh: '关联账号（帮扶责任人角色的用户名）', en: 'Linked account (username of a helper account)' },
  usernameHint: { zh: '关联后，该责任人可用此账号在手机上查看“我的帮扶户”', en: 'Once linked, the helper sees “My households” with this account' },
  maxHouseholds: { zh: '帮扶户数上限（留空按本地设置）', en: 'Maximum households (empty: the area’s setting)' },
  load: { zh: '帮扶户数', en: 'Load' },
  search: { zh: '搜索名称', en: 'Search name' },
  searchHelper: { zh: '搜索姓名或电话', en: 'Search name or phone' },
  onlyOver: { zh: '只看超出上限', en: 'Only above maximum' },
  showInactive: { zh: '含已停用', en: 'Include inactive' },
  saved: { zh: '已保存', en: 'Saved' },
  stale: { zh: '该记录已被他人修改，已重新载入最新内容，请重新修改', en: 'Someone else changed this record; the latest version is shown, edit again' },
  required: { zh: '必填', en: 'Required' },
  total: { zh: '共 {n} 条', en: '{n} in all' },
  none: { zh: '—', en: '—' },
});

type UnitForm = { name: string; kind: string; level: string; areaCode: string; contactPerson?: string | null; phone?: string | null; active?: boolean };
type HelperForm = { name: string; unitId: string; post?: string | null; phone?: string | null; areaCode: string; username?: string | null; maxHouseholds?: number | null; active?: boolean };

function UnitModal({ unit, open, onClose, onSaved }: { unit: UnitDto | null; open: boolean; onClose: () => void; onSaved: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const { user } = useSignedIn();
  const [form] = Form.useForm<UnitForm>();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open) form.setFieldsValue(unit ? { ...unit } : { name: '', kind: 'organ', level: 'county', areaCode: user.areaCode ?? undefined, contactPerson: '', phone: '', active: true });
  }, [open, unit, form, user.areaCode]);
  const submit = async (v: UnitForm) => {
    setBusy(true);
    try {
      if (unit) await put<UnitDto>(`/assistance/units/${unit.id}`, { ...v, version: unit.version });
      else await post<UnitDto>('/assistance/units', v);
      message.success(t(T.saved));
      onSaved();
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'STALE_EDIT') {
        message.warning(t(T.stale));
        onSaved();
        onClose();
      } else if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t(unit ? T.editUnit : T.addUnit)} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="name" label={t(T.name)} rules={[{ required: true, whitespace: true, message: t(T.required) }, { max: 100 }]}>
          <Input />
        </Form.Item>
        <Space wrap>
          <Form.Item name="kind" label={t(T.kind)} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} options={UNIT_KIND.map((k) => ({ value: k.value, label: k.label[lang] }))} />
          </Form.Item>
          <Form.Item name="level" label={t(T.level)} rules={[{ required: true }]}>
            <Select style={{ width: 140 }} options={UNIT_LEVEL.map((k) => ({ value: k.value, label: k.label[lang] }))} />
          </Form.Item>
        </Space>
        <Form.Item name="areaCode" label={t(T.area)} rules={[{ required: true, message: t(T.required) }]}>
          <AreaTreeSelect rootCode={user.areaCode} levels={['province', 'city', 'county', 'township', 'village']} valueLabel={unit?.areaName ?? user.areaName ?? null} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="contactPerson" label={t(T.contact)} rules={[{ max: 50 }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="phone" label={t(T.phone)} rules={[{ max: 30 }]}>
            <Input style={{ width: 180 }} inputMode="tel" />
          </Form.Item>
        </Space>
        {unit && (
          <Form.Item name="active" label={t(T.active)} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function HelperModal({ helper, open, onClose, onSaved }: { helper: HelperDto | null; open: boolean; onClose: () => void; onSaved: (w: PairingWarning[]) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const { user } = useSignedIn();
  const [form] = Form.useForm<HelperForm>();
  const [busy, setBusy] = useState(false);
  const [units, setUnits] = useState<UnitDto[]>([]);
  useEffect(() => {
    if (!open) return;
    form.setFieldsValue(helper ? { ...helper, username: helper.username ?? '' } : { name: '', unitId: undefined, post: '', phone: '', areaCode: user.areaCode ?? undefined, username: '', maxHouseholds: null, active: true });
    get<Page<UnitDto>>('/assistance/units', { pageSize: 200 })
      .then((p) => setUnits(p.items))
      .catch(() => setUnits([]));
  }, [open, helper, form, user.areaCode]);
  const submit = async (v: HelperForm) => {
    setBusy(true);
    const body = { ...v, username: v.username?.trim() || null, maxHouseholds: v.maxHouseholds ?? null };
    try {
      const r = helper ? await put<HelperSaveResult>(`/assistance/helpers/${helper.id}`, { ...body, version: helper.version }) : await post<HelperSaveResult>('/assistance/helpers', body);
      message.success(t(T.saved));
      onSaved(r.warnings);
      onClose();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'STALE_EDIT') {
        message.warning(t(T.stale));
        onSaved([]);
        onClose();
      } else if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t(helper ? T.editHelper : T.addHelper)} onCancel={onClose} onOk={() => form.submit()} confirmLoading={busy} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Space wrap>
          <Form.Item name="name" label={t(T.personName)} rules={[{ required: true, whitespace: true, message: t(T.required) }, { max: 50 }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="post" label={t(T.post)} rules={[{ max: 50 }]}>
            <Input style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="unitId" label={t(T.unit)} rules={[{ required: true, message: t(T.required) }]}>
          <Select showSearch optionFilterProp="label" options={units.filter((u) => u.active || u.id === helper?.unitId).map((u) => ({ value: u.id, label: `${u.name}（${u.areaName}）` }))} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="phone" label={t(T.phone)} rules={[{ max: 30 }]}>
            <Input style={{ width: 180 }} inputMode="tel" />
          </Form.Item>
          <Form.Item name="maxHouseholds" label={t(T.maxHouseholds)}>
            <InputNumber min={1} max={200} style={{ width: 120 }} />
          </Form.Item>
        </Space>
        <Form.Item name="areaCode" label={t(T.workArea)} rules={[{ required: true, message: t(T.required) }]}>
          <AreaTreeSelect rootCode={user.areaCode} levels={['city', 'county', 'township', 'village']} valueLabel={helper?.areaName ?? user.areaName ?? null} />
        </Form.Item>
        <Form.Item name="username" label={t(T.username)} extra={t(T.usernameHint)} rules={[{ max: 50 }]}>
          <Input autoComplete="off" />
        </Form.Item>
        {helper && (
          <Form.Item name="active" label={t(T.active)} valuePropName="checked">
            <Switch />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function UnitsTab() {
  const { t, lang } = useI18n();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [all, setAll] = useState(false);
  const [data, setData] = useState<Page<UnitDto> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ unit: UnitDto | null } | null>(null);
  const paging = useServerPaging((n) => t(T.total, { n }));
  const load = useCallback(() => {
    setError(null);
    get<Page<UnitDto>>('/assistance/units', { q, active: all ? 'all' : 'true', page: paging.page, pageSize: paging.pageSize })
      .then(setData)
      .catch(setError);
  }, [q, all, paging.page, paging.pageSize]);
  useEffect(load, [load]);
  const columns: TableColumnsType<UnitDto> = [
    { key: 'name', title: t(T.name), dataIndex: 'name', width: 220 },
    { key: 'kind', title: t(T.kind), width: 100, render: (_, u) => labelOf(UNIT_KIND, u.kind, lang) },
    { key: 'level', title: t(T.level), width: 80, render: (_, u) => labelOf(UNIT_LEVEL, u.level, lang) },
    { key: 'area', title: t(T.area), dataIndex: 'areaName', width: 110 },
    { key: 'contact', title: t(T.contact), width: 100, responsive: ['md'], render: (_, u) => u.contactPerson ?? t(T.none) },
    { key: 'phone', title: t(T.phone), width: 130, responsive: ['md'], render: (_, u) => u.phone ?? t(T.none) },
    { key: 'helpers', title: t(T.helperCount), dataIndex: 'helpers', width: 80, align: 'right' },
    { key: 'status', title: t(T.status), width: 80, render: (_, u) => (u.active ? <Tag color="green">{t(T.activeTag)}</Tag> : <Tag>{t(T.inactiveTag)}</Tag>) },
    { key: 'actions', title: t(T.actions), width: 80, render: (_, u) => (u.editable ? <Button size="small" onClick={() => setEditing({ unit: u })}>{t(T.edit)}</Button> : null) },
  ];
  return (
    <>
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t(T.search)} onSearch={(v) => { setQ(v); paging.resetPage(); }} style={{ width: 220 }} />
        <Space>
          <Switch checked={all} onChange={(v) => { setAll(v); paging.resetPage(); }} />
          <Typography.Text>{t(T.showInactive)}</Typography.Text>
        </Space>
        {can(ASSISTANCE['assistance.pair']) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ unit: null })}>
            {t(T.addUnit)}
          </Button>
        )}
      </Space>
      {error ? <LoadError error={error} onRetry={load} /> : <Table rowKey="id" size="small" columns={columns} dataSource={data?.items} loading={!data} pagination={paging.pagination(data?.total ?? 0)} scroll={{ x: 900 }} />}
      <UnitModal open={!!editing} unit={editing?.unit ?? null} onClose={() => setEditing(null)} onSaved={load} />
    </>
  );
}

function HelpersTab() {
  const { t } = useI18n();
  const { can } = useSession();
  const [q, setQ] = useState('');
  const [over, setOver] = useState(false);
  const [all, setAll] = useState(false);
  const [data, setData] = useState<Page<HelperDto> | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<{ helper: HelperDto | null } | null>(null);
  const [warnings, setWarnings] = useState<PairingWarning[]>([]);
  const paging = useServerPaging((n) => t(T.total, { n }));
  const load = useCallback(() => {
    setError(null);
    get<Page<HelperDto>>('/assistance/helpers', { q, overloaded: over ? 'true' : undefined, active: all ? 'all' : 'true', page: paging.page, pageSize: paging.pageSize })
      .then(setData)
      .catch(setError);
  }, [q, over, all, paging.page, paging.pageSize]);
  useEffect(load, [load]);
  const columns: TableColumnsType<HelperDto> = [
    { key: 'name', title: t(T.personName), dataIndex: 'name', width: 100, fixed: 'left' },
    { key: 'unit', title: t(T.unit), dataIndex: 'unitName', width: 200, ellipsis: true },
    { key: 'post', title: t(T.post), width: 90, responsive: ['md'], render: (_, h) => h.post ?? t(T.none) },
    { key: 'phone', title: t(T.phone), width: 130, render: (_, h) => h.phone ?? t(T.none) },
    { key: 'area', title: t(T.workArea), dataIndex: 'areaName', width: 100, responsive: ['lg'] },
    { key: 'account', title: t(T.account), width: 110, responsive: ['lg'], render: (_, h) => h.username ?? t(T.none) },
    { key: 'load', title: t(T.load), width: 150, render: (_, h) => <LoadTag helper={h} /> },
    { key: 'status', title: t(T.status), width: 80, render: (_, h) => (h.active ? <Tag color="green">{t(T.activeTag)}</Tag> : <Tag>{t(T.inactiveTag)}</Tag>) },
    { key: 'actions', title: t(T.actions), width: 80, render: (_, h) => (h.editable ? <Button size="small" onClick={() => setEditing({ helper: h })}>{t(T.edit)}</Button> : null) },
  ];
  return (
    <>
      <LoadWarnings warnings={warnings} onClose={() => setWarnings([])} />
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search allowClear placeholder={t(T.searchHelper)} onSearch={(v) => { setQ(v); paging.resetPage(); }} style={{ width: 220 }} />
        <Space>
          <Switch checked={over} onChange={(v) => { setOver(v); paging.resetPage(); }} />
          <Typography.Text>{t(T.onlyOver)}</Typography.Text>
        </Space>
        <Space>
          <Switch checked={all} onChange={(v) => { setAll(v); paging.resetPage(); }} />
          <Typography.Text>{t(T.showInactive)}</Typography.Text>
        </Space>
        {can(ASSISTANCE['assistance.pair']) && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ helper: null })}>
            {t(T.addHelper)}
          </Button>
        )}
      </Space>
      {error ? (
        <LoadError error={error} onRetry={load} />
      ) : (
        <Table rowKey="id" size="small" columns={columns} dataSource={data?.items} loading={!data} pagination={paging.pagination(data?.total ?? 0)} scroll={{ x: 1000 }} rowClassName={(h) => (h.overloaded ? 'fupin-row-warning' : '')} />
      )}
      <HelperModal
        open={!!editing}
        helper={editing?.helper ?? null}
        onClose={() => setEditing(null)}
        onSaved={(w) => {
          setWarnings(w);
          load();
        }}
      />
    </>
  );
}

export function UnitsPage() {
  const { t } = useI18n();
  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      <Tabs
        items={[
          { key: 'helpers', label: t(T.helpers), children: <HelpersTab /> },
          { key: 'units', label: t(T.units), children: <UnitsTab /> },
        ]}
      />
    </>
  );
}
