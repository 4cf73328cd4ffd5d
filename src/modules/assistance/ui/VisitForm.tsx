/**
 * The visit form (走访记录): date (today unless changed), what was done, problems found, and up to five
 * photos taken with the phone's camera or picked from its album. Built for a helper in the field with
 * a weak signal: what was typed is kept on the phone (localStorage, per household) until the visit is
 * saved, so a failed send or a reload loses nothing; large photos are scaled down in the browser
 * (JPEG, at most 1600 px on the long side) before they are sent; the upload shows its progress.
 */
import { useEffect, useRef, useState } from 'react';
import { App as AntApp, Alert, Button, Flex, Form, Input, Progress, Typography } from 'antd';
import { CameraOutlined, CloseCircleFilled, PictureOutlined } from '@ant-design/icons';
import { ApiError, applyFieldErrors, errorText, upload } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { VISIT_MAX_PHOTOS, VISIT_PHOTO_MAX_BYTES, VISIT_PHOTO_TYPES, VISIT_TEXT_MAX, type VisitDto } from '../contract.ts';

export const VF = defineMessages({
  date: { zh: '走访日期', en: 'Date of the visit' },
  content: { zh: '走访内容', en: 'What the visit was about' },
  contentPlaceholder: { zh: '如：了解家庭收入和务工情况，宣讲教育资助政策', en: 'e.g. checked income and work, explained the education subsidies' },
  contentRequired: { zh: '请填写走访内容', en: 'Enter what the visit was about' },
  problems: { zh: '发现的问题（可不填）', en: 'Problems found (optional)' },
  problemsPlaceholder: { zh: '如：屋顶漏雨；老人用药负担重', en: 'e.g. the roof leaks; medicine costs are high' },
  photos: { zh: '照片（最多 {n} 张）', en: 'Photos (at most {n})' },
  takePhoto: { zh: '拍照', en: 'Take a photo' },
  pickPhoto: { zh: '从相册选', en: 'From the album' },
  removePhoto: { zh: '删除这张照片', en: 'Remove this photo' },
  tooMany: { zh: '每次走访最多 {n} 张照片，多出的没有加入', en: 'At most {n} photos per visit; the others were left out' },
  notImage: { zh: '“{name}”不是 JPEG、PNG 或 WebP 图片', en: '“{name}” is not a JPEG, PNG or WebP image' },
  tooLarge: { zh: '“{name}”超过 5 MB，请换一张或压缩后再选', en: '“{name}” is over 5 MB; choose another or make it smaller' },
  submit: { zh: '保存走访记录', en: 'Save the visit' },
  sending: { zh: '正在上传…', en: 'Sending…' },
  saved: { zh: '走访已记录', en: 'Visit recorded' },
  draftKept: { zh: '没有发送成功，填写的内容已保留在本机，网络恢复后再点“保存走访记录”', en: 'Not sent. What you typed is kept on this phone; tap “Save the visit” again when the network is back' },
  draftRestored: { zh: '已恢复上次未保存的填写内容', en: 'Restored what you typed last time' },
});

interface Values {
  visitDate?: string;
  content?: string;
  problems?: string;
}

interface Picked {
  key: string;
  file: File;
  preview: string;
}

const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const draftKey = (householdId: string) => `fupin.visitDraft.${householdId}`;
const MAX_SIDE = 1600;

/**
 * A photo scaled down in the browser: JPEG at most 1600 px on its long side, when the original is
 * larger (in pixels or over 1 MB) and the result is smaller. Anything the browser cannot decode is
 * sent as it is (the server checks the type).
 */
async function shrink(file: File): Promise<File> {
  if (typeof createImageBitmap !== 'function') return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    if (scale === 1 && file.size <= 1024 * 1024) {
      bitmap.close();
      return file;
    }
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.82));
    if (!blob || blob.size >= file.size) return file;
    return new File([blob], file.name.replace(/\.\w+$/, '') + '.jpg', { type: 'image/jpeg' });
  } catch {
    return file;
  }
}

export interface VisitFormProps {
  householdId: string;
  /** Called after the visit is saved, with the visit. */
  onSaved?: (visit: VisitDto) => void;
}

export function VisitForm({ householdId, onSaved }: VisitFormProps) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<Values>();
  const [photos, setPhotos] = useState<Picked[]>([]);
  const [photoErrors, setPhotoErrors] = useState<string[]>([]);
  const [sending, setSending] = useState(false);
  const [progress, setProgress] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  const camera = useRef<HTMLInputElement>(null);
  const album = useRef<HTMLInputElement>(null);

  // The draft typed earlier for this household (same phone), if any.
  useEffect(() => {
    try {
      const raw = localStorage.getItem(draftKey(householdId));
      const draft = raw ? (JSON.parse(raw) as Values) : null;
      if (draft && (draft.content || draft.problems)) {
        form.setFieldsValue({ visitDate: draft.visitDate ?? today(), content: draft.content, problems: draft.problems });
        setRestored(true);
      } else form.setFieldsValue({ visitDate: today(), content: undefined, problems: undefined });
    } catch {
      form.setFieldsValue({ visitDate: today() });
    }
  }, [householdId, form]);

  // The previews' object URLs are released when a photo is removed, after saving, and on leaving.
  const current = useRef<Picked[]>([]);
  useEffect(() => {
    current.current = photos;
  }, [photos]);
  useEffect(() => () => current.current.forEach((p) => URL.revokeObjectURL(p.preview)), []);

  const keepDraft = (_: unknown, all: Values) => {
    try {
      localStorage.setItem(draftKey(householdId), JSON.stringify(all));
    } catch {}
  };

  const add = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    const problems: string[] = [];
    const room = VISIT_MAX_PHOTOS - photos.length;
    const chosen = Array.from(list);
    if (chosen.length > room) problems.push(t(VF.tooMany, { n: VISIT_MAX_PHOTOS }));
    const added: Picked[] = [];
    for (const f of chosen.slice(0, Math.max(0, room))) {
      if (f.type && !(VISIT_PHOTO_TYPES as readonly string[]).includes(f.type) && !f.type.startsWith('image/')) {
        problems.push(t(VF.notImage, { name: f.name }));
        continue;
      }
      const small = await shrink(f);
      if (small.size > VISIT_PHOTO_MAX_BYTES) {
        problems.push(t(VF.tooLarge, { name: f.name }));
        continue;
      }
      added.push({ key: `${Date.now()}-${Math.random()}`, file: small, preview: URL.createObjectURL(small) });
    }
    setPhotos((prev) => [...prev, ...added]);
    setPhotoErrors(problems);
  };

  const remove = (key: string) => {
    const gone = photos.find((p) => p.key === key);
    if (gone) URL.revokeObjectURL(gone.preview);
    setPhotos((prev) => prev.filter((p) => p.key !== key));
  };

  const submit = async (values: Values) => {
    setSending(true);
    setProgress(0);
    setError(null);
    setPhotoErrors([]);
    const body = new FormData();
    body.append('householdId', householdId);
    body.append('visitDate', values.visitDate ?? '');
    body.append('content', values.content ?? '');
    if (values.problems?.trim()) body.append('problems', values.problems);
    for (const p of photos) body.append('photos', p.file, p.file.name);
    try {
      const visit = await upload<VisitDto>('/assistance/visits', body, setProgress);
      try {
        localStorage.removeItem(draftKey(householdId));
      } catch {}
      message.success(t(VF.saved));
      form.setFieldsValue({ visitDate: today(), content: undefined, problems: undefined });
      photos.forEach((p) => URL.revokeObjectURL(p.preview));
      setPhotos([]);
      setRestored(false);
      onSaved?.(visit);
    } catch (e) {
      applyFieldErrors(form, e, lang);
      const issues = e instanceof ApiError ? (e.details.issues ?? []) : [];
      const onPhotos = issues.filter((i) => i.path[0] === 'photos').map((i) => (lang === 'en' ? i.messageEn : i.message));
      if (onPhotos.length) setPhotoErrors(onPhotos);
      const network = e instanceof ApiError && (e.code === 'NETWORK' || e.status >= 500);
      setError(network ? `${errorText(e, lang)}。${t(VF.draftKept)}` : errorText(e, lang));
    } finally {
      setSending(false);
    }
  };

  return (
    <Form form={form} layout="vertical" onFinish={submit} onValuesChange={keepDraft} disabled={sending} data-testid="visit-form" requiredMark={false}>
      {restored && <Alert type="info" showIcon title={t(VF.draftRestored)} style={{ marginBottom: 12 }} closable={{ onClose: () => setRestored(false) }} />}
      <Form.Item name="visitDate" label={t(VF.date)} rules={[{ required: true, message: t(VF.date) }]}>
        <DateInput max={today()} aria-label={t(VF.date)} allowClear={false} />
      </Form.Item>
      <Form.Item name="content" label={t(VF.content)} rules={[{ required: true, whitespace: true, message: t(VF.contentRequired) }]}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={VISIT_TEXT_MAX} placeholder={t(VF.contentPlaceholder)} aria-label={t(VF.content)} />
      </Form.Item>
      <Form.Item name="problems" label={t(VF.problems)}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={VISIT_TEXT_MAX} placeholder={t(VF.problemsPlaceholder)} aria-label={t(VF.problems)} />
      </Form.Item>
      <Form.Item label={t(VF.photos, { n: VISIT_MAX_PHOTOS })}>
        <input ref={camera} type="file" accept="image/*" capture="environment" style={{ display: 'none' }} data-testid="visit-photo-camera" onChange={(e) => void add(e.target.files).finally(() => (e.target.value = ''))} />
        <input ref={album} type="file" accept="image/jpeg,image/png,image/webp" multiple style={{ display: 'none' }} data-testid="visit-photo-input" onChange={(e) => void add(e.target.files).finally(() => (e.target.value = ''))} />
        <Flex gap={8} wrap>
          {photos.map((p) => (
            <div key={p.key} style={{ position: 'relative', width: 76, height: 76 }}>
              <img src={p.preview} alt={p.file.name} style={{ width: 76, height: 76, objectFit: 'cover', borderRadius: 6, border: '1px solid #eee' }} />
              <Button
                type="text"
                size="small"
                aria-label={t(VF.removePhoto)}
                icon={<CloseCircleFilled style={{ color: 'rgba(0,0,0,0.6)' }} />}
                onClick={() => remove(p.key)}
                style={{ position: 'absolute', top: -6, right: -6, background: '#fff', borderRadius: '50%' }}
              />
            </div>
          ))}
        </Flex>
        {photos.length < VISIT_MAX_PHOTOS && (
          <Flex gap={8} style={{ marginTop: photos.length ? 8 : 0 }}>
            <Button size="large" icon={<CameraOutlined />} onClick={() => camera.current?.click()} style={{ flex: 1 }}>
              {t(VF.takePhoto)}
            </Button>
            <Button size="large" icon={<PictureOutlined />} onClick={() => album.current?.click()} style={{ flex: 1 }}>
              {t(VF.pickPhoto)}
            </Button>
          </Flex>
        )}
        {photoErrors.map((m) => (
          <Typography.Text key={m} type="danger" style={{ display: 'block', marginTop: 4 }}>
            {m}
          </Typography.Text>
        ))}
      </Form.Item>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="visit-form-error" />}
      {sending && photos.length > 0 && <Progress percent={Math.round(progress)} size="small" status="active" aria-label={t(VF.sending)} />}
      <Button type="primary" htmlType="submit" size="large" block loading={sending}>
        {sending ? t(VF.sending) : t(VF.submit)}
      </Button>
    </Form>
  );
}
