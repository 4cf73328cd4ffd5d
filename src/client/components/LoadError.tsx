/** What a page shows when its data could not be loaded: the server's message and a retry button. */
import { Button, Result } from 'antd';
import { ApiError, errorText } from '../api-client.ts';
import { useI18n } from '../i18n.tsx';
import { M } from '../messages.ts';

export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, lang } = useI18n();
  const notFound = error instanceof ApiError && error.status === 404;
  return (
    <Result
      status={notFound ? '404' : error instanceof ApiError && error.status === 403 ? '403' : 'warning'}
      title={notFound ? t(M.notFoundTitle) : t(M.loadFailed)}
      subTitle={errorText(error, lang)}
      extra={onRetry && !notFound ? <Button onClick={onRetry}>{t(M.retry)}</Button> : undefined}
    />
  );
}
