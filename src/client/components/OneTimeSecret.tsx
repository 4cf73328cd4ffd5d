/** Shows a generated password once, large and copyable, with a warning that it will not be shown again. */
import { Alert, Typography } from 'antd';
import { useI18n, defineMessages } from '../i18n.tsx';

const T = defineMessages({
  once: { zh: '请立即记下或复制此密码并当面交给本人，关闭后将不再显示。对方首次登录时须修改密码。', en: 'Write down or copy this password now and hand it to the user in person; it will not be shown again. They must change it at first sign-in.' },
});

export function OneTimeSecret({ label, secret }: { label: string; secret: string }) {
  const { t } = useI18n();
  return (
    <div>
      <Typography.Text type="secondary">{label}</Typography.Text>
      <Typography.Paragraph copyable={{ text: secret }} style={{ fontSize: 22, fontFamily: 'Consolas, Menlo, monospace', margin: '4px 0 12px', letterSpacing: 1 }}>
        <span data-testid="one-time-secret">{secret}</span>
      </Typography.Paragraph>
      <Alert type="warning" showIcon title={t(T.once)} />
    </div>
  );
}
