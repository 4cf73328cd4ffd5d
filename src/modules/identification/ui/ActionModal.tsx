/**
 * A modal form for one step of the procedure: the fields, 提交, and a refused step shown inside the
 * modal with its Chinese (or English) message and the refused households; field issues go under the
 * fields they name.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { Form, Modal, type FormInstance } from 'antd';
import { applyFieldErrors } from '../../../client/api-client.ts';
import { useI18n } from '../../../client/i18n.tsx';
import { P, RefusalAlert } from './procedure-common.tsx';

export interface ActionModalProps<V> {
  open: boolean;
  title: ReactNode;
  /** The form's name: field ids are `${name}_${field}`. */
  name: string;
  initialValues: Partial<V>;
  onCancel: () => void;
  /** Sends the step; a thrown ApiError is shown in the modal. */
  onSubmit: (values: V) => Promise<void>;
  okText?: string;
  width?: number;
  children: (form: FormInstance<V>) => ReactNode;
}

export function ActionModal<V extends object>({ open, title, name, initialValues, onCancel, onSubmit, okText, width, children }: ActionModalProps<V>) {
  const { t, lang } = useI18n();
  const [form] = Form.useForm<V>();
  const [error, setError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const alertRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (open) setError(null);
  }, [open]);

  // A refusal shows at the top of the dialog: bring it into view even when the body was scrolled down.
  useEffect(() => {
    if (error) alertRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  }, [error]);

  const submit = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await onSubmit(values);
    } catch (e) {
      applyFieldErrors(form, e, lang);
      setError(e);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onCancel}
      onOk={submit}
      okText={okText ?? t(P.submit)}
      cancelText={t(P.cancel)}
      confirmLoading={saving}
      width={width ?? 560}
      destroyOnHidden
      styles={{ body: { maxHeight: '70vh', overflowY: 'auto' } }}
    >
      <div ref={alertRef}>
        <RefusalAlert error={error} />
      </div>
      <Form form={form} name={name} layout="vertical" initialValues={initialValues} onFinish={submit}>
        {children(form)}
      </Form>
    </Modal>
  );
}
