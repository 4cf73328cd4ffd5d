/** The user's own page (/profile): details, the actions the role holds, and the change-password form. */
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Form, Input, Row, Space, Tag } from 'antd';
import { ROLE_LABELS } from '../../../shared/access.ts';
import { ApiError, applyFieldErrors, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';

const T = defineMessages({
  title: { zh: '个人中心', en: 'Profile' },
  subtitle: { zh: '本人账号信息与密码', en: 'Your account and password' },
  details: { zh: '基本信息', en: 'Details' },
  username: { zh: '用户名', en: 'Username' },
  displayName: { zh: '姓名', en: 'Name' },
  role: { zh: '角色', en: 'Role' },
  area: { zh: '所属区划', en: 'Area' },
  wholeCountry: { zh: '全国', en: 'Whole country' },
  phone: { zh: '联系电话', en: 'Phone' },
  lastLogin: { zh: '最后登录', en: 'Last sign-in' },
  createdAt: { zh: '创建时间', en: 'Created' },
  actions: { zh: '本角色可执行的操作', en: 'Actions your role holds' },
  changePassword: { zh: '修改密码', en: 'Change password' },
  mustChange: { zh: '首次登录或密码已被重置，请先修改密码后再使用系统', en: 'This is a first sign-in or the password was reset: change your password before going on' },
  current: { zh: '当前密码', en: 'Current password' },
  next: { zh: '新密码', en: 'New password' },
  confirm: { zh: '再次输入新密码', en: 'Repeat the new password' },
  nextHelp: { zh: '至少 8 位，建议包含字母和数字，不要与当前密码相同', en: 'At least 8 characters, letters and digits; not the current one' },
  required: { zh: '请输入{field}', en: 'Enter the {field}' },
  min: { zh: '新密码至少 8 位', en: 'At least 8 characters' },
  mismatch: { zh: '两次输入的新密码不一致', en: 'The two new passwords differ' },
  submit: { zh: '修改密码', en: 'Change password' },
  changed: { zh: '密码已修改', en: 'Password changed' },
});

const ACTION_LABELS: Record<string, { zh: string; en: string }> = {
  'areas.read': { zh: '查看区划', en: 'View areas' },
  'areas.import': { zh: '导入区划', en: 'Import areas' },
  'areas.designate': { zh: '认定贫困村', en: 'Designate poor villages' },
  'accounts.read': { zh: '查看用户', en: 'View users' },
  'accounts.create': { zh: '新建用户', en: 'Create users' },
  'accounts.update': { zh: '修改用户', en: 'Edit users' },
  'accounts.reset-password': { zh: '重置密码', en: 'Reset passwords' },
  'audit.read': { zh: '查看审计日志', en: 'Read the audit log' },
};

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

export function ProfilePage() {
  const { t, lang } = useI18n();
  const session = useSignedIn();
  const { refresh } = useSession();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const { user } = session;
  const field = (m: { zh: string; en: string }) => t(m).toLowerCase();

  const submit = async (v: PasswordForm) => {
    setSaving(true);
    setError(null);
    const forced = user.mustChangePassword;
    try {
      await post('/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t(T.changed));
      form.resetFields();
      await refresh();
      if (forced) navigate('/', { replace: true });
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) setError(e instanceof ApiError ? e : null);
    } finally {
      setSaving(false);
    }
  };

  return (
    <>
      <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} />
      {user.mustChangePassword && <Alert type="warning" showIcon title={t(T.mustChange)} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col xs={24} lg={13}>
          <Card title={t(T.details)} style={{ marginBottom: 16 }}>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t(T.username)}>{user.username}</Descriptions.Item>
              <Descriptions.Item label={t(T.displayName)}>{user.displayName}</Descriptions.Item>
              <Descriptions.Item label={t(T.role)}>{ROLE_LABELS[user.role][lang]}</Descriptions.Item>
              <Descriptions.Item label={t(T.area)}>{session.areaFullName ?? t(T.wholeCountry)}</Descriptions.Item>
              <Descriptions.Item label={t(T.phone)}>{user.phone ?? '—'}</Descriptions.Item>
              <Descriptions.Item label={t(T.lastLogin)}>{formatDateTime(user.lastLoginAt) || '—'}</Descriptions.Item>
              <Descriptions.Item label={t(T.createdAt)}>{formatDateTime(user.createdAt)}</Descriptions.Item>
            </Descriptions>
          </Card>
          <Card title={t(T.actions)} style={{ marginBottom: 16 }}>
            <Space size={[8, 8]} wrap>
              {session.actions.map((a) => (
                <Tag key={a} color="blue" title={a}>
                  {ACTION_LABELS[a]?.[lang] ?? a}
                </Tag>
              ))}
            </Space>
          </Card>
        </Col>
        <Col xs={24} lg={11}>
          <Card title={t(T.changePassword)} id="change-password">
            {error && <Alert type="error" showIcon title={error.text(lang)} style={{ marginBottom: 16 }} />}
            <Form<PasswordForm> form={form} layout="vertical" onFinish={submit} requiredMark={false}>
              <Form.Item name="currentPassword" label={t(T.current)} rules={[{ required: true, message: t(T.required, { field: field(T.current) }) }]}>
                <Input.Password autoComplete="current-password" autoFocus={user.mustChangePassword} />
              </Form.Item>
              <Form.Item
                name="newPassword"
                label={t(T.next)}
                extra={t(T.nextHelp)}
                rules={[
                  { required: true, message: t(T.required, { field: field(T.next) }) },
                  { min: 8, message: t(T.min) },
                ]}
              >
                <Input.Password autoComplete="new-password" maxLength={128} />
              </Form.Item>
              <Form.Item
                name="confirm"
                label={t(T.confirm)}
                dependencies={['newPassword']}
                rules={[
                  { required: true, message: t(T.required, { field: field(T.confirm) }) },
                  ({ getFieldValue }) => ({
                    validator: (_, value) => (!value || getFieldValue('newPassword') === value ? Promise.resolve() : Promise.reject(new Error(t(T.mismatch)))),
                  }),
                ]}
              >
                <Input.Password autoComplete="new-password" maxLength={128} />
              </Form.Item>
              <Button type="primary" htmlType="submit" loading={saving}>
                {t(T.submit)}
              </Button>
            </Form>
          </Card>
        </Col>
      </Row>
    </>
  );
}
