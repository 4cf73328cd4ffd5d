/**
 * An area's page (/areas/:code): where it sits (breadcrumb), its key figures, and its children with
 * their counts; a child drills down. Officers holding areas.designate designate or undesignate a
 * village as poor for a year.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { App as AntApp, Button, Card, Col, Descriptions, Empty, Form, Input, Modal, Popconfirm, Row, Select, Skeleton, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { BookOutlined, FlagOutlined, FolderOpenOutlined, HomeOutlined } from '@ant-design/icons';
import type { AreaChildDto, AreaDetailDto } from '../contract.ts';
import { AREAS } from '../permissions.ts';
import { isWithinScope, LEVEL_LABELS, type AreaLevel } from '../../../shared/area-code.ts';
import { del, errorText, get, put } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatYears } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';

const T = defineMessages({
  code: { zh: '区划代码', en: 'Area code' },
  name: { zh: '名称', en: 'Name' },
  level: { zh: '级别', en: 'Level' },
  townships: { zh: '乡镇（街道）数', en: 'Townships' },
  villages: { zh: '村（社区）数', en: 'Villages' },
  poorVillages: { zh: '贫困村数', en: 'Poor villages' },
  poorYears: { zh: '贫困村认定年度', en: 'Designated poor' },
  year: { zh: '统计年度', en: 'Year' },
  yearSuffix: { zh: '{year} 年', en: '{year}' },
  children: { zh: '下级区划', en: 'Areas below' },
  childrenCount: { zh: '共 {n} 个', en: '{n} in all' },
  actions: { zh: '操作', en: 'Actions' },
  designate: { zh: '认定为贫困村', en: 'Designate poor' },
  undesignate: { zh: '取消认定', en: 'Undesignate' },
  undesignateConfirm: { zh: '确定取消 {name} 的 {year} 年贫困村认定吗？', en: 'Remove the {year} poor-village designation of {name}?' },
  designateTitle: { zh: '认定贫困村：{name}', en: 'Designate a poor village: {name}' },
  kind: { zh: '认定类别', en: 'Kind' },
  provincial: { zh: '省级贫困村', en: 'Provincial' },
  cityKind: { zh: '市级贫困村', en: 'City' },
  countyKind: { zh: '县级贫困村', en: 'County' },
  relative: { zh: '相对贫困村', en: 'Relative poverty' },
  note: { zh: '备注', en: 'Note' },
  designated: { zh: '已认定 {name} 为 {year} 年贫困村', en: '{name} designated poor for {year}' },
  undesignated: { zh: '已取消 {name} 的 {year} 年贫困村认定', en: 'Designation of {name} for {year} removed' },
  none: { zh: '未认定', en: 'None' },
  isPoor: { zh: '{year} 年贫困村', en: 'Poor village {year}' },
  notPoor: { zh: '{year} 年非贫困村', en: 'Not poor in {year}' },
  retired: { zh: '已撤销', en: 'Retired' },
  validFrom: { zh: '启用年度', en: 'In use since' },
  fullName: { zh: '全称', en: 'Full name' },
  noChildren: { zh: '没有下级区划', en: 'No areas below' },
  ok: { zh: '确定', en: 'OK' },
  villageRegister: { zh: '村有册', en: 'Village register' },
  townshipArchive: { zh: '乡有档', en: 'Township archive' },
});

const THIS_YEAR = new Date().getFullYear();
const YEARS = Array.from({ length: THIS_YEAR - 2013 + 1 }, (_, i) => THIS_YEAR + 1 - i);

interface DesignateForm {
  kind: 'provincial' | 'city' | 'county';
  relative: boolean;
  note?: string;
}

export function AreaPage() {
  const { code = '' } = useParams();
  const { t, lang } = useI18n();
  const { can, setScope } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [year, setYear] = useState(THIS_YEAR);
  const [area, setArea] = useState<AreaDetailDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [designating, setDesignating] = useState<{ code: string; name: string } | null>(null);
  const [form] = Form.useForm<DesignateForm>();
  const [saving, setSaving] = useState(false);
  const canDesignate = can(AREAS['areas.designate']);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const a = await get<AreaDetailDto>(`/areas/${code}`, { year });
      setArea(a);
      setScope({ code: a.code, name: a.name, level: a.level });
    } catch (e) {
      setArea(null);
      setError(e);
    } finally {
      setLoading(false);
    }
  }, [code, year, setScope]);

  useEffect(() => {
    void load();
  }, [load]);

  const levelLabel = (l: AreaLevel) => LEVEL_LABELS[l][lang];

  const designate = async (v: DesignateForm) => {
    if (!designating) return;
    setSaving(true);
    try {
      await put(`/areas/${designating.code}/poor-village/${year}`, { kind: v.kind, relative: v.relative, note: v.note || undefined });
      message.success(t(T.designated, { name: designating.name, year }));
      setDesignating(null);
      await load();
    } catch (e) {
      message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  const undesignate = async (c: { code: string; name: string }) => {
    try {
      await del(`/areas/${c.code}/poor-village/${year}`);
      message.success(t(T.undesignated, { name: c.name, year }));
      await load();
    } catch (e) {
      message.error(errorText(e, lang));
    }
  };

  const designationActions = (v: { code: string; name: string; poorVillageYears: number[] }) =>
    v.poorVillageYears.includes(year) ? (
      <Popconfirm title={t(T.undesignateConfirm, { name: v.name, year })} onConfirm={() => undesignate(v)}>
        <Button size="small" danger type="link">
          {t(T.undesignate)}
        </Button>
      </Popconfirm>
    ) : (
      <Button
        size="small"
        type="link"
        icon={<FlagOutlined />}
        onClick={() => {
          form.setFieldsValue({ kind: 'provincial', relative: false, note: '' });
          setDesignating({ code: v.code, name: v.name });
        }}
      >
        {t(T.designate)}
      </Button>
    );

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!area) return <Card><Skeleton active paragraph={{ rows: 8 }} /></Card>;

  const childLevel = area.children[0]?.level;
  const showVillageCols = childLevel === 'village';
  const columns: TableColumnsType<AreaChildDto> = [
    {
      title: t(T.name),
      dataIndex: 'name',
      render: (name: string, r) => (
        <Space size={6}>
          <Link to={`/areas/${r.code}`}>{name}</Link>
          {r.validTo !== null && <Tag>{t(T.retired)}</Tag>}
        </Space>
      ),
    },
    { title: t(T.code), dataIndex: 'code', width: 150, render: (c: string) => <Typography.Text type="secondary" copyable={{ text: c }}>{c}</Typography.Text> },
    { title: t(T.level), dataIndex: 'level', width: 90, render: levelLabel },
    ...(childLevel === 'city' || childLevel === 'county' || childLevel === 'province'
      ? [{ title: t(T.townships), dataIndex: 'townshipCount', width: 130, align: 'right' as const }]
      : []),
    ...(!showVillageCols
      ? [
          { title: t(T.villages), dataIndex: 'villageCount', width: 120, align: 'right' as const },
          { title: t(T.poorVillages), dataIndex: 'poorVillageCount', width: 110, align: 'right' as const, render: (n: number) => (n > 0 ? <Typography.Text strong style={{ color: '#b91c1c' }}>{n}</Typography.Text> : n) },
        ]
      : [
          {
            title: t(T.villageRegister),
            key: 'register',
            width: 90,
            render: (_: unknown, r: AreaChildDto) => <Link to={`/villages/${r.code}/register`}>{t(T.villageRegister)}</Link>,
          },
          {
            title: t(T.poorYears),
            dataIndex: 'poorVillageYears',
            render: (ys: number[]) => (ys.length ? <Tag color={ys.includes(year) ? 'red' : 'orange'}>{formatYears(ys)}</Tag> : <Typography.Text type="secondary">{t(T.none)}</Typography.Text>),
          },
        ]),
    ...(showVillageCols && canDesignate ? [{ title: t(T.actions), key: 'actions', width: 130, render: (_: unknown, r: AreaChildDto) => designationActions(r) }] : []),
  ];

  const breadcrumb: { key: string; title: ReactNode }[] = [
    { key: 'home', title: <HomeOutlined aria-label="home" /> },
    // Ancestors above the user's own area are named but not linked (their pages are outside the scope).
    ...area.ancestors.map((a) => ({ key: a.code, title: isWithinScope(user.areaCode, a.code) ? <Link to={`/areas/${a.code}`}>{a.name}</Link> : a.name })),
    { key: area.code, title: area.name },
  ];

  const stats: { label: string; value: number; accent?: boolean }[] =
    area.level === 'village'
      ? []
      : [
          ...(area.level !== 'township' ? [{ label: t(T.townships), value: area.townshipCount }] : []),
          { label: t(T.villages), value: area.villageCount },
          { label: `${t(T.poorVillages)}（${t(T.yearSuffix, { year })}）`, value: area.poorVillageCount, accent: true },
        ];

  return (
    <>
      <PageHeader
        breadcrumb={breadcrumb}
        title={
          <Space size={8}>
            <span data-testid="area-title">{area.name}</span>
            <Tag color="red">{levelLabel(area.level)}</Tag>
            {area.level === 'village' && (area.poorVillageYears.includes(year) ? <Tag color="volcano">{t(T.isPoor, { year })}</Tag> : null)}
          </Space>
        }
        subtitle={`${area.fullName} · ${area.code}`}
        extra={
          <Space>
            {area.level === 'village' && (
              <Link to={`/villages/${area.code}/register`}>
                <Button icon={<BookOutlined />}>{t(T.villageRegister)}</Button>
              </Link>
            )}
            {area.level === 'township' && (
              <Link to={`/townships/${area.code}/archive`}>
                <Button icon={<FolderOpenOutlined />}>{t(T.townshipArchive)}</Button>
              </Link>
            )}
            <Typography.Text type="secondary">{t(T.year)}</Typography.Text>
            <Select value={year} onChange={setYear} options={YEARS.map((y) => ({ value: y, label: t(T.yearSuffix, { year: y }) }))} style={{ width: 110 }} aria-label={t(T.year)} />
          </Space>
        }
      />
      {stats.length > 0 && (
        <Row gutter={16} style={{ marginBottom: 16 }}>
          {stats.map((s) => (
            <Col key={s.label} xs={24} sm={8}>
              <Card size="small" className="fupin-stat">
                <Statistic title={s.label} value={s.value} loading={loading} styles={s.accent ? { content: { color: '#b91c1c' } } : undefined} />
              </Card>
            </Col>
          ))}
        </Row>
      )}
      {area.level === 'village' ? (
        <Card>
          <Descriptions column={{ xs: 1, md: 2 }} bordered size="middle">
            <Descriptions.Item label={t(T.fullName)}>{area.fullName}</Descriptions.Item>
            <Descriptions.Item label={t(T.code)}>{area.code}</Descriptions.Item>
            <Descriptions.Item label={t(T.level)}>{levelLabel(area.level)}</Descriptions.Item>
            <Descriptions.Item label={t(T.validFrom)}>{area.validFrom}</Descriptions.Item>
            <Descriptions.Item label={t(T.poorYears)} span={2}>
              <Space>
                {area.poorVillageYears.length ? <Tag color="red">{formatYears(area.poorVillageYears)}</Tag> : <Typography.Text type="secondary">{t(T.none)}</Typography.Text>}
                {canDesignate && designationActions(area)}
              </Space>
            </Descriptions.Item>
          </Descriptions>
        </Card>
      ) : (
        <Card title={t(T.children)} extra={<Typography.Text type="secondary">{t(T.childrenCount, { n: area.children.length })}</Typography.Text>} styles={{ body: { padding: 0 } }}>
          <Table<AreaChildDto>
            rowKey="code"
            size="middle"
            loading={loading}
            columns={columns}
            dataSource={area.children}
            pagination={area.children.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(T.noChildren)} /> }}
            onRow={(r) => ({ onDoubleClick: () => navigate(`/areas/${r.code}`) })}
          />
        </Card>
      )}
      <Modal
        open={designating !== null}
        title={designating ? t(T.designateTitle, { name: designating.name }) : ''}
        onCancel={() => setDesignating(null)}
        onOk={() => form.submit()}
        okText={t(T.ok)}
        confirmLoading={saving}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={designate} preserve={false}>
          <Form.Item label={t(T.year)}>
            <Typography.Text strong>{t(T.yearSuffix, { year })}</Typography.Text>
          </Form.Item>
          <Form.Item name="kind" label={t(T.kind)} rules={[{ required: true }]}>
            <Select
              options={[
                { value: 'provincial', label: t(T.provincial) },
                { value: 'city', label: t(T.cityKind) },
                { value: 'county', label: t(T.countyKind) },
              ]}
            />
          </Form.Item>
          <Form.Item name="relative" label={t(T.relative)} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="note" label={t(T.note)} rules={[{ max: 200 }]}>
            <Input.TextArea rows={2} maxLength={200} showCount />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
