/**
 * 市领导联系点 (/assistance/contact-points): each city leader's township and poor village, with the
 * county-level leader and assisting unit for the same places and the village's work team — as cards,
 * so that city leaders read it on a tablet; the county and city set up, edit and end contact points.
 */
import { useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, Modal, Pagination, Row, Segmented, Select, Space, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { applyFieldErrors, errorText, get, patch, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { ASSISTANCE } from '../permissions.ts';
import type { ContactPointDto, ContactPointPageDto, TeamChoicesDto } from '../contract.ts';

const T = defineMessages({
  title: { zh: '市领导联系点', en: 'Leader contact points' },
  subtitle: {
    zh: '每位市领导联系一个乡镇、一个贫困村，县级领导和帮扶单位联系同一乡镇、同一村。',
    en: 'Each city leader is linked to one township and one poor village, with a county-level leader and an assisting unit for the same places.',
  },
  area: { zh: '区域', en: 'Area' },
  current: { zh: '在任', en: 'Current' },
  ended: { zh: '已结束', en: 'Ended' },
  all: { zh: '全部', en: 'All' },
  add: { zh: '设立联系点', en: 'New contact point' },
  edit: { zh: '修改', en: 'Edit' },
  end: { zh: '结束', en: 'End' },
  leaderName: { zh: '市领导', en: 'City leader' },
  leaderPost: { zh: '职务', en: 'Post' },
  township: { zh: '联系乡镇', en: 'Township' },
  village: { zh: '联系贫困村', en: 'Poor village' },
  countyLeader: { zh: '县级联系领导', en: 'County-level leader' },
  countyLeaderName: { zh: '县级领导姓名', en: 'County leader’s name' },
  countyLeaderPost: { zh: '县级领导职务', en: 'County leader’s post' },
  unit: { zh: '帮扶单位', en: 'Assisting unit' },
  start: { zh: '开始日期', en: 'Since' },
  endDate: { zh: '结束日期', en: 'End date' },
  team: { zh: '驻村工作队', en: 'Work team' },
  teamOf: { zh: '队长 {l} · 第一书记 {s}', en: 'Leader {l} · first secretary {s}' },
  noTeam: { zh: '无驻村工作队', en: 'No work team' },
  notPoor: { zh: '今年非贫困村', en: 'Not poor this year' },
  none: { zh: '暂无联系点', en: 'No contact points' },
  required: { zh: '必填', en: 'Required' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存', en: 'Saved' },
  villageHint: { zh: '先选乡镇；只列出该乡镇今年认定的贫困村', en: 'Choose the township first; only its poor villages of this year are listed' },
  total: { zh: '共 {n} 个', en: '{n} in all' },
});

const todayYmd = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

interface FormValues {
  leaderName: string;
  leaderPost: string;
  townshipCode: string;
  villageCode: string;
  countyLeaderName?: string;
  countyLeaderPost?: string;
  unitId?: string | null;
  startDate: string;
}

function PointForm({ point, open, onClose, onDone }: { point: ContactPointDto | null; open: boolean; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const { user } = useSignedIn();
  const [form] = Form.useForm<FormValues>();
  const [busy, setBusy] = useState(false);
  const [choices, setChoices] = useState<TeamChoicesDto | null>(null);
  const township = Form.useWatch('townshipCode', form);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(
      point
        ? { ...point, countyLeaderName: point.countyLeaderName ?? undefined, countyLeaderPost: point.countyLeaderPost ?? undefined, unitId: point.unitId ?? undefined }
        : ({ startDate: todayYmd() } as Partial<FormValues>),
    );
  }, [open, point, form]);
  useEffect(() => {
    if (!open) return;
    get<TeamChoicesDto>('/assistance/work-teams/choices').then(setChoices, () => setChoices(null));
  }, [open]);
  const villages = (choices?.poorVillages ?? []).filter((v) => v.townshipCode === township);
  const submit = async (v: FormValues) => {
    setBusy(true);
    const body = {
      leaderName: v.leaderName.trim(),
      leaderPost: v.leaderPost.trim(),
      townshipCode: v.townshipCode,
      villageCode: v.villageCode,
      countyLeaderName: v.countyLeaderName?.trim() || null,
      countyLeaderPost: v.countyLeaderPost?.trim() || null,
      unitId: v.unitId || null,
      startDate: v.startDate,
    };
    try {
      if (point) await patch(`/assistance/contact-points/${point.id}`, { version: point.version, ...body });
      else await post('/assistance/contact-points', body);
      message.success(t(T.saved));
      onDone();
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={point ? `${t(T.edit)} · ${point.leaderName}` : t(T.add)} onCancel={onClose} onOk={() => form.submit()} okText={t(T.save)} confirmLoading={busy} width={640} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="leaderName" label={t(T.leaderName)} rules={[{ required: true, whitespace: true, message: t(T.required) }, { max: 50 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="leaderPost" label={t(T.leaderPost)} rules={[{ required: true, whitespace: true, message: t(T.required) }, { max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="townshipCode" label={t(T.township)} rules={[{ required: true, message: t(T.required) }]}>
              <AreaTreeSelect rootCode={user.areaCode} levels={['township']} valueLabel={point?.townshipName ?? null} onChange={() => form.setFieldValue('villageCode', undefined)} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="villageCode" label={t(T.village)} extra={t(T.villageHint)} rules={[{ required: true, message: t(T.required) }]}>
              <Select disabled={!township} options={villages.map((v) => ({ value: v.code, label: v.name }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="countyLeaderName" label={t(T.countyLeaderName)} rules={[{ max: 50 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="countyLeaderPost" label={t(T.countyLeaderPost)} rules={[{ max: 100 }]}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="unitId" label={t(T.unit)}>
              <Select allowClear showSearch optionFilterProp="label" options={(choices?.units ?? []).map((u) => ({ value: u.id, label: u.name }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="startDate" label={t(T.start)} rules={[{ required: true, message: t(T.required) }]}>
              <DateInput />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

function EndPoint({ point, onClose, onDone }: { point: ContactPointDto | null; onClose: () => void; onDone: () => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm<{ endDate: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={!!point} title={point ? `${t(T.end)} · ${point.leaderName}` : ''} onCancel={onClose} onOk={() => form.submit()} okText={t(T.save)} okButtonProps={{ danger: true }} confirmLoading={busy} destroyOnHidden>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ endDate: todayYmd() }}
        onFinish={async (v) => {
          if (!point) return;
          setBusy(true);
          try {
            await post(`/assistance/contact-points/${point.id}/end`, { version: point.version, endDate: v.endDate });
            message.success(t(T.saved));
            onDone();
          } catch (e) {
            if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="endDate" label={t(T.endDate)} rules={[{ required: true, message: t(T.required) }]}>
          <DateInput min={point?.startDate} max={todayYmd()} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One contact point as a card (large type, no wide table: read on a tablet). */
function PointCard({ p, may, onEdit, onEnd }: { p: ContactPointDto; may: boolean; onEdit: () => void; onEnd: () => void }) {
  const { t } = useI18n();
  return (
    <Card
      title={
        <Space wrap size={4}>
          <Typography.Text strong style={{ fontSize: 16 }}>
            {p.leaderName}
          </Typography.Text>
          <Typography.Text type="secondary">{p.leaderPost}</Typography.Text>
        </Space>
      }
      extra={!p.current && <Tag>{`${t(T.ended)} ${p.endDate}`}</Tag>}
      actions={
        may && p.current
          ? [
              <Button key="e" type="link" onClick={onEdit}>
                {t(T.edit)}
              </Button>,
              <Button key="x" type="link" danger onClick={onEnd}>
                {t(T.end)}
              </Button>,
            ]
          : undefined
      }
    >
      <Descriptions size="small" column={1}>
        <Descriptions.Item label={t(T.township)}>{p.townshipName}</Descriptions.Item>
        <Descriptions.Item label={t(T.village)}>
          <Space wrap size={4}>
            {p.villageName}
            {!p.villagePoorThisYear && <Tag>{t(T.notPoor)}</Tag>}
          </Space>
        </Descriptions.Item>
        <Descriptions.Item label={t(T.countyLeader)}>{[p.countyLeaderName, p.countyLeaderPost].filter(Boolean).join(' · ') || '—'}</Descriptions.Item>
        <Descriptions.Item label={t(T.unit)}>{p.unitName ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t(T.team)}>
          {p.villageHasTeam ? t(T.teamOf, { l: p.teamLeaderName ?? '—', s: p.firstSecretaryName ?? '—' }) : <Tag color="red">{t(T.noTeam)}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t(T.start)}>{p.startDate}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

export function ContactPointsPage() {
  const { t } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const [areaCode, setAreaCode] = useState<string | null>(scope?.code ?? user.areaCode ?? null);
  const [status, setStatus] = useState<'current' | 'ended' | 'all'>('current');
  const [page, setPage] = useState(1);
  const [data, setData] = useState<ContactPointPageDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [editing, setEditing] = useState<ContactPointDto | null | undefined>(undefined);
  const [ending, setEnding] = useState<ContactPointDto | null>(null);
  const [tick, setTick] = useState(0);
  const may = can(ASSISTANCE['assistance.contact-points']);
  const pageSize = 24;

  useEffect(() => {
    if (scope?.code) setAreaCode(scope.code);
  }, [scope?.code]);
  useEffect(() => {
    let live = true;
    setError(null);
    get<ContactPointPageDto>('/assistance/contact-points', { areaCode, status, page, pageSize }).then(
      (d) => live && setData(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [areaCode, status, page, tick]);
  const refresh = () => setTick((x) => x + 1);

  if (error) return <LoadError error={error} onRetry={refresh} />;
  const noTeam = data?.items.filter((p) => p.current && !p.villageHasTeam).length ?? 0;
  return (
    <>
      <PageHeader
        title={t(T.title)}
        subtitle={t(T.subtitle)}
        extra={
          may && (
            <Button type="primary" size="large" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
              {t(T.add)}
            </Button>
          )
        }
      />
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <span>{t(T.area)}</span>
        <div style={{ width: 260, maxWidth: '100%' }}>
          <AreaTreeSelect rootCode={user.areaCode} levels={['city', 'county', 'township', 'village']} value={areaCode} onChange={(c) => (setAreaCode(c), setPage(1))} />
        </div>
        <Segmented
          size="large"
          value={status}
          onChange={(v) => (setStatus(v as typeof status), setPage(1))}
          options={[
            { value: 'current', label: t(T.current) },
            { value: 'ended', label: t(T.ended) },
            { value: 'all', label: t(T.all) },
          ]}
        />
        {data && <Typography.Text type="secondary">{t(T.total, { n: data.total })}</Typography.Text>}
      </Flex>
      {noTeam > 0 && <Alert type="error" showIcon title={`${t(T.noTeam)}：${noTeam}`} style={{ marginBottom: 12 }} />}
      {data && data.items.length === 0 ? (
        <Empty description={t(T.none)} />
      ) : (
        <Row gutter={[16, 16]}>
          {(data?.items ?? []).map((p) => (
            <Col key={p.id} xs={24} md={12} xl={8}>
              <PointCard p={p} may={may} onEdit={() => setEditing(p)} onEnd={() => setEnding(p)} />
            </Col>
          ))}
        </Row>
      )}
      {data && data.total > pageSize && <Pagination style={{ marginTop: 16 }} current={page} pageSize={pageSize} total={data.total} onChange={setPage} showSizeChanger={false} />}
      <PointForm
        point={editing ?? null}
        open={editing !== undefined}
        onClose={() => setEditing(undefined)}
        onDone={() => {
          setEditing(undefined);
          refresh();
        }}
      />
      <EndPoint
        point={ending}
        onClose={() => setEnding(null)}
        onDone={() => {
          setEnding(null);
          refresh();
        }}
      />
    </>
  );
}
