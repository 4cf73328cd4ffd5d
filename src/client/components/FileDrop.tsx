/**
 * The drop area for one file (click or drag): keeps the chosen file in the page's state and sends
 * nothing itself — the page uploads it with its own fields (person lists, cross-check lists).
 */
import { Upload } from 'antd';
import type { UploadFile } from 'antd';
import { InboxOutlined } from '@ant-design/icons';

export interface FileDropProps {
  /** File types offered by the browser's picker, e.g. ".xlsx,.csv". */
  accept: string;
  file: UploadFile | null;
  /** Called with the newly chosen file, or null when it is removed. */
  onChange: (file: UploadFile | null) => void;
  disabled?: boolean;
  /** The main line and the hint under it. */
  text: string;
  hint: string;
  'data-testid'?: string;
}

export function FileDrop({ accept, file, onChange, disabled, text, hint, 'data-testid': testId }: FileDropProps) {
  return (
    <Upload.Dragger
      accept={accept}
      maxCount={1}
      multiple={false}
      disabled={disabled}
      fileList={file ? [file] : []}
      beforeUpload={() => false}
      onChange={({ fileList }) => onChange(fileList.at(-1) ?? null)}
      onRemove={() => onChange(null)}
      data-testid={testId}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{text}</p>
      <p className="ant-upload-hint" style={{ paddingInline: 12 }}>
        {hint}
      </p>
    </Upload.Dragger>
  );
}
