/**
 * The audit log (/audit): who did what to which record, when and where; filters by actor, action,
 * target and date range; each row opens its before/after values.
 */
import { useCallback, useEffect, useState } from 'react';
import { AutoComplete, Button, Card, Col, DatePicker, Empty, Form, Input, Row, Space, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import type { AuditEventDto } from '../contract.ts';
import type { Page } from '../../../shared/paging.ts';
import { ROLE_LABELS, ROLES, type Role } from '../../../shared/access.ts';
import { get } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Msg } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';

const T = defineMessages({
  title: { zh: '审计日志', en: 'Audit log' },
  subtitle: { zh: '管辖范围内的每一次登录与数据变更，谁、何时、改了什么', en: 'Every sign-in and change in your scope: who, when, and what changed' },
  actor: { zh: '操作人', en: 'Actor' },
  action: { zh: '操作', en: 'Action' },
  targetType: { zh: '对象类型', en: 'Target type' },
  targetId: { zh: '对象 ID', en: 'Target id' },
  dates: { zh: '日期范围', en: 'Dates' },
  search: { zh: '查询', en: 'Search' },
  reset: { zh: '重置', en: 'Reset' },
  time: { zh: '时间', en: 'Time' },
  role: { zh: '角色', en: 'Role' },
  target: { zh: '对象', en: 'Target' },
  area: { zh: '区划', en: 'Area' },
  ip: { zh: 'IP 地址', en: 'IP address' },
  before: { zh: '修改前', en: 'Before' },
  after: { zh: '修改后', en: 'After' },
  empty: { zh: '（无）', en: '(none)' },
  total: { zh: '共 {n} 条', en: '{n} events' },
  noEvents: { zh: '没有符合条件的记录', en: 'No matching events' },
  usernamePh: { zh: '用户名', en: 'Username' },
  actionPh: { zh: '如 accounts.create', en: 'e.g. accounts.create' },
  targetTypePh: { zh: '如 user、area', en: 'e.g. user, area' },
});

/** Labels of the actions the audit log records (unknown ones show their code). */
const ACTION_LABELS: Record<string, Msg> = {
  'accounts.login': { zh: '登录', en: 'Sign-in' },
  'accounts.login-failed': { zh: '登录失败', en: 'Failed sign-in' },
  'accounts.logout': { zh: '退出登录', en: 'Sign-out' },
  'accounts.create': { zh: '新建用户', en: 'Create user' },
  'accounts.update': { zh: '修改用户', en: 'Edit user' },
  'accounts.reset-password': { zh: '重置密码', en: 'Reset password' },
  'accounts.change-password': { zh: '修改本人密码', en: 'Change own password' },
  'accounts.locked': { zh: '账号锁定', en: 'Account locked' },
  'areas.import': { zh: '导入区划', en: 'Import areas' },
  'areas.designate': { zh: '认定贫困村', en: 'Designate poor village' },
  'areas.undesignate': { zh: '取消贫困村认定', en: 'Remove designation' },
};

const TARGET_LABELS: Record<string, Msg> = {
  user: { zh: '用户', en: 'User' },
  area: { zh: '区划', en: 'Area' },
  session: { zh: '会话', en: 'Session' },
};

interface Filters {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

function Json({ value, emptyText }: { value: unknown; emptyText: string }) {
  if (value === null || value === undefined) return <Typography.Text type="secondary">{emptyText}</Typography.Text>;
  return <pre style={{ margin: 0, fontSize: 12, whiteSpace: 'pre-wrap', wordBreak: 'break-all', background: '#fafafa', padding: 8, borderRadius: 4, maxHeight: 280, overflow: 'auto' }}>{JSON.stringify(value, null, 2)}</pre>;
}

export function AuditPage() {
  const { t, lang } = useI18n();
  const [form] = Form.useForm();
  const [filters, setFilters] = useState<Filters>({});
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const [data, setData] = useState<Page<AuditEventDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [dates, setDates] = useState<[string, string] | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await get<Page<AuditEventDto>>('/audit', { ...filters, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [filters, page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  const label = (table: Record<string, Msg>, code: string) => (table[code] ? t(table[code]) : code);

  const columns: TableColumnsType<AuditEventDto> = [
    { title: t(T.time), dataIndex: 'at', width: 150, render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(v)}</span> },
    { title: t(T.actor), dataIndex: 'actorUsername', width: 120 },
    { title: t(T.role), dataIndex: 'actorRole', width: 130, render: (r: string | null) => (r && (ROLES as readonly string[]).includes(r) ? ROLE_LABELS[r as Role][lang] : (r ?? '—')) },
    {
      title: t(T.action),
      dataIndex: 'action',
      width: 170,
      render: (a: string) => (
        <Space orientation="vertical" size={0}>
          <span>{label(ACTION_LABELS, a)}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {a}
          </Typography.Text>
        </Space>
      ),
    },
    {
      title: t(T.target),
      key: 'target',
      ellipsis: true,
      render: (_, e) => (
        <Space size={4}>
          <Tag>{label(TARGET_LABELS, e.targetType)}</Tag>
          <Typography.Text type="secondary" style={{ fontSize: 12 }} copyable={e.targetId ? { text: e.targetId } : false}>
            {e.targetId ?? ''}
          </Typography.Text>
        </Space>
      ),
    },
    { title: t(T.area), dataIndex: 'areaCode', width: 130, render: (v: string | null) => v ?? '—' },
  ];

  const search = (v: Omit<Filters, 'from' | 'to'>) => {
    const clean = Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' && x.trim() !== '').map(([k, x]) => [k, (x as string).trim()]));
    setFilters({ ...clean, ...(dates ? { from: dates[0], to: dates[1] } : {}) });
    resetPage();
  };

  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      <Card style={{ marginBottom: 16 }} styles={{ body: { paddingBottom: 0 } }}>
        <Form form={form} layout="vertical" onFinish={search}>
          <Row gutter={16}>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="actor" label={t(T.actor)}>
                <Input placeholder={t(T.usernamePh)} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="action" label={t(T.action)}>
                <AutoComplete
                  placeholder={t(T.actionPh)}
                  allowClear
                  options={Object.entries(ACTION_LABELS).map(([code, m]) => ({ value: code, label: `${t(m)} · ${code}` }))}
                  showSearch={{ filterOption: (input, o) => String(o?.label ?? '').toLowerCase().includes(input.toLowerCase()) }}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="targetType" label={t(T.targetType)}>
                <Input placeholder={t(T.targetTypePh)} allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={6}>
              <Form.Item name="targetId" label={t(T.targetId)}>
                <Input allowClear />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={8}>
              <Form.Item name="dates" label={t(T.dates)}>
                <DatePicker.RangePicker format="YYYY-MM-DD" style={{ width: '100%' }} onChange={(_, s) => setDates(s[0] && s[1] ? [s[0], s[1]] : null)} />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} lg={16}>
              <Form.Item label=" " colon={false}>
                <Space>
                  <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                    {t(T.search)}
                  </Button>
                  <Button
                    icon={<UndoOutlined />}
                    onClick={() => {
                      form.resetFields();
                      setDates(null);
                      setFilters({});
                      resetPage();
                    }}
                  >
                    {t(T.reset)}
                  </Button>
                </Space>
              </Form.Item>
            </Col>
          </Row>
        </Form>
      </Card>
      <Card styles={{ body: { padding: 0 } }}>
        {error ? (
          <LoadError error={error} onRetry={load} />
        ) : (
          <Table<AuditEventDto>
            rowKey="id"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            scroll={{ x: 900 }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(T.noEvents)} /> }}
            expandable={{
              rowExpandable: (e) => e.before != null || e.after != null || e.ip != null,
              expandedRowRender: (e) => (
                <Row gutter={16}>
                  <Col span={11}>
                    <Typography.Text strong>{t(T.before)}</Typography.Text>
                    <Json value={e.before} emptyText={t(T.empty)} />
                  </Col>
                  <Col span={11}>
                    <Typography.Text strong>{t(T.after)}</Typography.Text>
                    <Json value={e.after} emptyText={t(T.empty)} />
                  </Col>
                  <Col span={2}>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t(T.ip)}: {e.ip ?? '—'}
                    </Typography.Text>
                  </Col>
                </Row>
              ),
            }}
            pagination={pagination(data?.total ?? 0)}
          />
        )}
      </Card>
    </>
  );
}
