/**
 * User management (/users): the accounts in the current scope area, server-paged and filtered by
 * name and role; create, edit (stale edits refused), deactivate or activate, unlock, reset password.
 * Generated passwords are shown once.
 */
import { useCallback, useEffect, useState } from 'react';
import { App as AntApp, Alert, Button, Card, Dropdown, Flex, Form, Input, Modal, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { DownOutlined, EditOutlined, KeyOutlined, PlusOutlined, ReloadOutlined, UnlockOutlined } from '@ant-design/icons';
import type { UserDto } from '../contract.ts';
import { ACCOUNTS } from '../permissions.ts';
import { ROLE_AREA_LEVELS, ROLE_LABELS, ROLES, type Role } from '../../../shared/access.ts';
import type { Page } from '../../../shared/paging.ts';
import { LEVEL_LABELS, levelOfCode } from '../../../shared/area-code.ts';
import { ApiError, applyFieldErrors, errorText, get, patch, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { OneTimeSecret } from '../../../client/components/OneTimeSecret.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';

const T = defineMessages({
  title: { zh: '用户管理', en: 'Users' },
  subtitle: { zh: '{area}及下级区划的用户账号', en: 'Accounts in {area} and the areas below it' },
  allAreas: { zh: '全部区划', en: 'all areas' },
  search: { zh: '按用户名或姓名查找', en: 'Search by username or name' },
  allRoles: { zh: '全部角色', en: 'All roles' },
  create: { zh: '新建用户', en: 'New user' },
  createTitle: { zh: '新建用户', en: 'New user' },
  editTitle: { zh: '编辑用户：{name}', en: 'Edit user: {name}' },
  username: { zh: '用户名', en: 'Username' },
  usernameHelp: { zh: '3–32 位字母、数字、下划线、点或连字符，登录时使用', en: '3–32 letters, digits, _ . or -, used to sign in' },
  displayName: { zh: '姓名', en: 'Name' },
  role: { zh: '角色', en: 'Role' },
  area: { zh: '所属区划', en: 'Area' },
  areaHelp: { zh: '{role}的所属区划应为：{levels}', en: 'A {role} belongs to: {levels}' },
  areaOptional: { zh: '系统管理员可不指定区划（全国）', en: 'An administrator may have no area (whole country)' },
  phone: { zh: '联系电话', en: 'Phone' },
  password: { zh: '初始密码', en: 'Initial password' },
  passwordHelp: { zh: '留空则自动生成；用户首次登录时须修改', en: 'Leave empty to generate one; the user must change it at first sign-in' },
  status: { zh: '状态', en: 'Status' },
  active: { zh: '正常', en: 'Active' },
  inactive: { zh: '已停用', en: 'Deactivated' },
  locked: { zh: '已锁定', en: 'Locked' },
  mustChange: { zh: '待改密码', en: 'Must change password' },
  lastLogin: { zh: '最后登录', en: 'Last sign-in' },
  never: { zh: '从未登录', en: 'Never' },
  actions: { zh: '操作', en: 'Actions' },
  edit: { zh: '编辑', en: 'Edit' },
  more: { zh: '更多', en: 'More' },
  deactivate: { zh: '停用', en: 'Deactivate' },
  activate: { zh: '启用', en: 'Activate' },
  deactivateConfirm: { zh: '停用后 {name} 将无法登录，确定停用吗？', en: '{name} will no longer be able to sign in. Deactivate?' },
  activateConfirm: { zh: '确定重新启用 {name} 吗？', en: 'Activate {name} again?' },
  unlock: { zh: '解锁', en: 'Unlock' },
  resetPassword: { zh: '重置密码', en: 'Reset password' },
  resetConfirm: { zh: '将为 {name} 生成临时密码，原密码立即失效。确定重置吗？', en: 'A temporary password replaces the current one of {name}. Reset?' },
  created: { zh: '已创建用户 {name}', en: 'User {name} created' },
  createdTitle: { zh: '用户已创建', en: 'User created' },
  initialPassword: { zh: '{name}（{username}）的初始密码', en: 'Initial password of {name} ({username})' },
  tempPassword: { zh: '{name}（{username}）的临时密码', en: 'Temporary password of {name} ({username})' },
  resetTitle: { zh: '密码已重置', en: 'Password reset' },
  saved: { zh: '已保存', en: 'Saved' },
  done: { zh: '我已记下', en: 'I have noted it' },
  stale: { zh: '该用户已被他人修改', en: 'Someone else changed this user' },
  reload: { zh: '重新载入', en: 'Reload' },
  total: { zh: '共 {n} 个用户', en: '{n} users' },
  save: { zh: '保存', en: 'Save' },
  cancel: { zh: '取消', en: 'Cancel' },
  required: { zh: '请填写{field}', en: 'Enter the {field}' },
  requiredSelect: { zh: '请选择{field}', en: 'Choose the {field}' },
  noUsers: { zh: '该区划下还没有用户', en: 'No users in this area yet' },
  you: { zh: '本人', en: 'you' },
});

interface UserForm {
  username?: string;
  displayName: string;
  role: Role;
  areaCode: string | null;
  phone?: string;
  password?: string;
}

type Secret = { title: string; label: string; secret: string };

export function UsersPage() {
  const { t, lang } = useI18n();
  const { can, scope } = useSession();
  const session = useSignedIn();
  const { message, modal } = AntApp.useApp();
  const [q, setQ] = useState('');
  const [role, setRole] = useState<Role | undefined>();
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const [data, setData] = useState<Page<UserDto> | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<UserDto | 'new' | null>(null);
  const [secret, setSecret] = useState<Secret | null>(null);
  const areaCode = scope?.code;

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setData(await get<Page<UserDto>>('/users', { q: q || undefined, role, areaCode, page, pageSize }));
    } catch (e) {
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [q, role, areaCode, page, pageSize]);

  useEffect(() => {
    void load();
  }, [load]);

  const canCreate = can(ACCOUNTS['accounts.create']);
  const canUpdate = can(ACCOUNTS['accounts.update']);
  const canReset = can(ACCOUNTS['accounts.reset-password']);

  const update = async (u: UserDto, body: Record<string, unknown>, done: string) => {
    try {
      await patch(`/users/${u.id}`, { ...body, version: u.version });
      message.success(done);
    } catch (e) {
      message.error(errorText(e, lang));
    }
    await load();
  };

  const reset = async (u: UserDto) => {
    try {
      const r = await post<{ temporaryPassword: string }>(`/users/${u.id}/reset-password`);
      setSecret({ title: t(T.resetTitle), label: t(T.tempPassword, { name: u.displayName, username: u.username }), secret: r.temporaryPassword });
      await load();
    } catch (e) {
      message.error(errorText(e, lang));
    }
  };

  const columns: TableColumnsType<UserDto> = [
    { title: t(T.username), dataIndex: 'username', width: 120, render: (v: string, u) => (u.id === session.user.id ? <Space size={4}>{v}<Tag>{t(T.you)}</Tag></Space> : v) },
    { title: t(T.displayName), dataIndex: 'displayName', width: 130, ellipsis: true },
    { title: t(T.role), dataIndex: 'role', width: 120, render: (r: Role) => ROLE_LABELS[r][lang] },
    { title: t(T.area), dataIndex: 'areaName', width: 140, ellipsis: true, render: (v: string | null) => v ?? <Typography.Text type="secondary">—</Typography.Text> },
    { title: t(T.phone), dataIndex: 'phone', width: 120, render: (v: string | null) => v ?? '—' },
    {
      title: t(T.status),
      key: 'status',
      width: 120,
      render: (_, u) => (
        <Space size={4} wrap>
          {u.active ? <Tag color="green">{t(T.active)}</Tag> : <Tag>{t(T.inactive)}</Tag>}
          {u.locked && <Tag color="red">{t(T.locked)}</Tag>}
          {u.mustChangePassword && <Tag color="gold">{t(T.mustChange)}</Tag>}
        </Space>
      ),
    },
    { title: t(T.lastLogin), dataIndex: 'lastLoginAt', width: 140, render: (v: string | null) => (v ? formatDateTime(v) : <Typography.Text type="secondary">{t(T.never)}</Typography.Text>) },
    ...(canUpdate || canReset
      ? [
          {
            title: t(T.actions),
            key: 'actions',
            width: 150,
            fixed: 'right' as const,
            render: (_: unknown, u: UserDto) => {
              const self = u.id === session.user.id;
              const more = [
                ...(canUpdate && !self ? [{ key: 'active', danger: u.active, label: t(u.active ? T.deactivate : T.activate) }] : []),
                ...(canUpdate && u.locked ? [{ key: 'unlock', icon: <UnlockOutlined />, label: t(T.unlock) }] : []),
                ...(canReset && !self ? [{ key: 'reset', icon: <KeyOutlined />, label: t(T.resetPassword) }] : []),
              ];
              return (
                <Space size={0}>
                  {canUpdate && (
                    <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(u)}>
                      {t(T.edit)}
                    </Button>
                  )}
                  {more.length > 0 && (
                    <Dropdown
                      trigger={['click']}
                      menu={{
                        items: more,
                        onClick: ({ key }) => {
                          if (key === 'unlock') void update(u, { unlock: true }, t(T.saved));
                          else if (key === 'active')
                            modal.confirm({
                              title: t(u.active ? T.deactivateConfirm : T.activateConfirm, { name: u.displayName }),
                              okButtonProps: { danger: u.active },
                              onOk: () => update(u, { active: !u.active }, t(T.saved)),
                            });
                          else if (key === 'reset') modal.confirm({ title: t(T.resetConfirm, { name: u.displayName }), onOk: () => reset(u) });
                        },
                      }}
                    >
                      <Button type="link" size="small">
                        {t(T.more)} <DownOutlined />
                      </Button>
                    </Dropdown>
                  )}
                </Space>
              );
            },
          },
        ]
      : []),
  ];

  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle, { area: scope?.name ?? session.areaFullName ?? t(T.allAreas) })}
        extra={
          canCreate && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t(T.create)}
            </Button>
          )
        }
      />
      <Card styles={{ body: { paddingTop: 16 } }}>
        <Flex gap={12} wrap style={{ marginBottom: 16 }}>
          <Input.Search
            placeholder={t(T.search)}
            allowClear
            style={{ width: 260 }}
            onSearch={(v) => {
              setQ(v.trim());
              resetPage();
            }}
          />
          <Select
            allowClear
            placeholder={t(T.allRoles)}
            style={{ width: 180 }}
            value={role}
            onChange={(v?: Role) => {
              setRole(v);
              resetPage();
            }}
            options={ROLES.map((r) => ({ value: r, label: ROLE_LABELS[r][lang] }))}
          />
          <Tooltip title={t(T.reload)}>
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label={t(T.reload)} />
          </Tooltip>
        </Flex>
        {error ? (
          <LoadError error={error} onRetry={load} />
        ) : (
          <Table<UserDto>
            rowKey="id"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={data?.items ?? []}
            scroll={{ x: 1050 }}
            locale={{ emptyText: t(T.noUsers) }}
            pagination={pagination(data?.total ?? 0)}
          />
        )}
      </Card>
      {editing && (
        <UserModal
          user={editing === 'new' ? null : editing}
          rootCode={scope?.code ?? session.user.areaCode}
          isAdmin={session.user.role === 'admin'}
          onClose={() => setEditing(null)}
          onSaved={async (created) => {
            setEditing(null);
            if (created) {
              message.success(t(T.created, { name: created.user.displayName }));
              if (created.initialPassword) {
                setSecret({ title: t(T.createdTitle), label: t(T.initialPassword, { name: created.user.displayName, username: created.user.username }), secret: created.initialPassword });
              }
            } else message.success(t(T.saved));
            await load();
          }}
        />
      )}
      <Modal
        open={secret !== null}
        title={secret?.title}
        closable={false}
        maskClosable={false}
        footer={<Button type="primary" onClick={() => setSecret(null)}>{t(T.done)}</Button>}
      >
        {secret && <OneTimeSecret label={secret.label} secret={secret.secret} />}
      </Modal>
    </>
  );
}

function UserModal(props: {
  user: UserDto | null;
  rootCode: string | null;
  isAdmin: boolean;
  onClose: () => void;
  onSaved: (created: { user: UserDto; initialPassword: string | null } | null) => Promise<void>;
}) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<UserForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [user, setUser] = useState<UserDto | null>(props.user);
  const role = Form.useWatch('role', form) as Role | undefined;
  const isNew = props.user === null;

  // Edit the latest version, with the full phone number (lists mask it).
  const reload = useCallback(async () => {
    if (!props.user) return;
    const u = await get<UserDto>(`/users/${props.user.id}`);
    setUser(u);
    setError(null);
    form.setFieldsValue({ displayName: u.displayName, role: u.role, areaCode: u.areaCode, phone: u.phone ?? '' });
  }, [props.user, form]);

  useEffect(() => {
    reload().catch((e: unknown) => setError(e instanceof ApiError ? e : null));
  }, [reload]);

  const roles = ROLES.filter((r) => props.isAdmin || r !== 'admin');
  const levels = role ? ROLE_AREA_LEVELS[role] : [];

  const submit = async (v: UserForm) => {
    setSaving(true);
    setError(null);
    try {
      const phone = v.phone?.trim() ? v.phone.trim() : null;
      if (isNew) {
        const created = await post<{ user: UserDto; initialPassword: string | null }>('/users', {
          username: v.username,
          displayName: v.displayName,
          role: v.role,
          areaCode: v.areaCode ?? null,
          phone,
          password: v.password || undefined,
        });
        await props.onSaved(created);
      } else if (user) {
        await patch(`/users/${user.id}`, { displayName: v.displayName, role: v.role, areaCode: v.areaCode ?? null, phone, version: user.version });
        await props.onSaved(null);
      }
    } catch (e) {
      applyFieldErrors(form, e, lang);
      setError(e instanceof ApiError ? e : new ApiError(0, 'INTERNAL', errorText(e, 'zh'), errorText(e, 'en')));
    } finally {
      setSaving(false);
    }
  };

  const field = (m: { zh: string; en: string }) => t(m).toLowerCase();

  return (
    <Modal
      open
      title={isNew ? t(T.createTitle) : t(T.editTitle, { name: props.user!.displayName })}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      okText={t(T.save)}
      cancelText={t(T.cancel)}
      confirmLoading={saving}
      maskClosable={false}
      width={560}
      destroyOnHidden
    >
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          title={error.code === 'STALE_EDIT' ? t(T.stale) : undefined}
          description={error.text(lang)}
          action={
            error.code === 'STALE_EDIT' ? (
              <Button size="small" onClick={() => void reload()}>
                {t(T.reload)}
              </Button>
            ) : undefined
          }
        />
      )}
      <Form<UserForm> form={form} layout="vertical" onFinish={submit} initialValues={{ areaCode: null }} preserve={false}>
        {isNew && (
          <Form.Item name="username" label={t(T.username)} extra={t(T.usernameHelp)} rules={[{ required: true, whitespace: true, message: t(T.required, { field: field(T.username) }) }, { pattern: /^[a-zA-Z0-9_.-]{3,32}$/, message: t(T.usernameHelp) }]}>
            <Input autoComplete="off" maxLength={32} />
          </Form.Item>
        )}
        <Form.Item name="displayName" label={t(T.displayName)} rules={[{ required: true, whitespace: true, message: t(T.required, { field: field(T.displayName) }) }, { max: 50 }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="role" label={t(T.role)} rules={[{ required: true, message: t(T.requiredSelect, { field: field(T.role) }) }]}>
          <Select
            options={roles.map((r) => ({ value: r, label: ROLE_LABELS[r][lang] }))}
            onChange={(r: Role) => {
              const current = form.getFieldValue('areaCode') as string | null;
              if (current && !ROLE_AREA_LEVELS[r].includes(levelOfCode(current))) form.setFieldValue('areaCode', null);
            }}
          />
        </Form.Item>
        <Form.Item
          name="areaCode"
          label={t(T.area)}
          extra={role ? (role === 'admin' ? t(T.areaOptional) : t(T.areaHelp, { role: ROLE_LABELS[role][lang], levels: levels.map((l) => LEVEL_LABELS[l][lang]).join(lang === 'zh' ? '、' : ', ') })) : undefined}
          rules={[{ required: role !== undefined && role !== 'admin', message: t(T.requiredSelect, { field: field(T.area) }) }]}
        >
          <AreaTreeSelect rootCode={props.rootCode} levels={levels} valueLabel={user?.areaName} disabled={!role} />
        </Form.Item>
        <Form.Item name="phone" label={t(T.phone)} rules={[{ pattern: /^(1\d{10}|0\d{2,3}-?\d{7,8})$/, message: lang === 'zh' ? '手机号应为 11 位，或带区号的固定电话' : 'An 11-digit mobile or a landline with area code' }]}>
          <Input maxLength={20} inputMode="tel" />
        </Form.Item>
        {isNew && (
          <Form.Item name="password" label={t(T.password)} extra={t(T.passwordHelp)} rules={[{ min: 8, message: lang === 'zh' ? '密码至少 8 位' : 'At least 8 characters' }]}>
            <Input.Password autoComplete="new-password" maxLength={128} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
