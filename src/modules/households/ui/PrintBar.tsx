/** The bar above a printable sheet (hidden in print): back link, title, note, and the 打印 button; sets the @page size. */
import type { ReactNode } from 'react';
import { Button, Space, Typography } from 'antd';
import { PrinterOutlined } from '@ant-design/icons';
import { useI18n } from '../../../client/i18n.tsx';
import { R } from './common.tsx';
import './print.css';

export function PrintBar({ left, note, landscape }: { left: ReactNode; note?: ReactNode; landscape?: boolean }) {
  const { t } = useI18n();
  return (
    <>
      <style>{`@page { size: A4${landscape ? ' landscape' : ''}; margin: ${landscape ? '10mm' : '12mm'}; }`}</style>
      <div className="fupin-print-bar no-print">
        <Space wrap>{left}</Space>
        <Space wrap>
          {note && <Typography.Text type="secondary">{note}</Typography.Text>}
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t(R.print)}
          </Button>
        </Space>
      </div>
    </>
  );
}

/** Today as YYYY-MM-DD (the browser's date). */
export function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}
