/** Sign-in: username and password, with the server's plain-language reason when it fails. */
import { useState } from 'react';
import { Navigate, useLocation, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Form, Input, Space, Typography } from 'antd';
import { GlobalOutlined, LockOutlined, UserOutlined } from '@ant-design/icons';
import { ApiError, applyFieldErrors, errorText } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { M } from '../../../client/messages.ts';
import { useSession } from '../../../client/session.tsx';

const T = defineMessages({
  title: { zh: '用户登录', en: 'Sign in' },
  subtitle: { zh: '精准扶贫 · 精准识别 · 精准帮扶 · 精准退出', en: 'Targeted identification, assistance and exit' },
  username: { zh: '用户名', en: 'Username' },
  password: { zh: '密码', en: 'Password' },
  usernameRequired: { zh: '请输入用户名', en: 'Enter the username' },
  passwordRequired: { zh: '请输入密码', en: 'Enter the password' },
  submit: { zh: '登录', en: 'Sign in' },
  failed: { zh: '登录失败', en: 'Sign-in failed' },
  locked: { zh: '账号已锁定', en: 'Account locked' },
  rateLimited: { zh: '尝试次数过多', en: 'Too many attempts' },
  help: { zh: '忘记密码或账号被锁定？请联系上级管理员重置或解锁。', en: 'Forgot the password or locked out? Ask your administrator to reset or unlock it.' },
});

export function LoginPage() {
  const { t, lang, setLang } = useI18n();
  const { state, signIn } = useSession();
  const [form] = Form.useForm<{ username: string; password: string }>();
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const location = useLocation();
  const next = params.get('next') || '/';
  const expired = (location.state as { expired?: boolean } | null)?.expired;

  if (state.status === 'signed-in' && !busy) return <Navigate to={next} replace />;

  const onFinish = async (v: { username: string; password: string }) => {
    setBusy(true);
    setError(null);
    try {
      const s = await signIn(v.username, v.password);
      navigate(s.user.mustChangePassword ? '/profile' : next, { replace: true });
    } catch (e) {
      if (!applyFieldErrors(form, e, lang) || !(e instanceof ApiError && e.code === 'VALIDATION_FAILED')) {
        setError(e instanceof ApiError ? e : new ApiError(0, 'INTERNAL', errorText(e, 'zh'), errorText(e, 'en')));
      }
      form.setFieldValue('password', '');
    } finally {
      setBusy(false);
    }
  };

  const errorTitle = error?.code === 'ACCOUNT_LOCKED' ? t(T.locked) : error?.code === 'RATE_LIMITED' ? t(T.rateLimited) : t(T.failed);

  return (
    <div className="fupin-login">
      <Card className="fupin-login-card" styles={{ body: { padding: '28px 32px' } }}>
        <Space orientation="vertical" size={4} style={{ width: '100%', textAlign: 'center', marginBottom: 20 }}>
          <div className="fupin-logo" style={{ margin: '0 auto 8px', width: 44, height: 44, lineHeight: '44px', fontSize: 24 }}>
            扶
          </div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t(M.appTitle)}
          </Typography.Title>
          <Typography.Text type="secondary">{t(T.subtitle)}</Typography.Text>
        </Space>
        {expired && !error && <Alert type="info" showIcon title={t(M.sessionExpired)} style={{ marginBottom: 16 }} />}
        {error && <Alert type="error" showIcon title={errorTitle} description={error.text(lang)} style={{ marginBottom: 16 }} role="alert" />}
        <Form form={form} layout="vertical" size="large" onFinish={onFinish} requiredMark={false} autoComplete="on">
          <Form.Item name="username" label={t(T.username)} rules={[{ required: true, whitespace: true, message: t(T.usernameRequired) }]}>
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
          </Form.Item>
          <Form.Item name="password" label={t(T.password)} rules={[{ required: true, message: t(T.passwordRequired) }]}>
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy}>
            {t(T.submit)}
          </Button>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0, fontSize: 12 }}>
          {t(T.help)}
        </Typography.Paragraph>
        <div style={{ textAlign: 'center', marginTop: 8 }}>
          <Button type="link" size="small" icon={<GlobalOutlined />} onClick={() => setLang(lang === 'zh' ? 'en' : 'zh')}>
            {t(M.language)}
          </Button>
        </div>
      </Card>
    </div>
  );
}
