/**
 * 建档立卡 registration (/households/new): the household's fields, a members editor with instant
 * ID-number checks, exactly one head, and optionally the income of a year with the net and
 * per-capita figures derived live. What is typed is kept in a draft (localStorage) so that a timeout
 * or a reload loses nothing; when the server refuses, its field errors land under the right member.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { App as AntApp, Alert, Button, Card, Col, Descriptions, Flex, Form, InputNumber, Row, Space, Switch, Tag, Typography } from 'antd';
import { DeleteOutlined, PlusOutlined, SaveOutlined, UserAddOutlined } from '@ant-design/icons';
import type { HouseholdDto } from '../contract.ts';
import { deriveIncome } from '../rules.ts';
import { HOUSEHOLDS } from '../permissions.ts';
import { ApiError, applyFieldErrors, errorText, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { formatDateTime } from '../../../client/format.ts';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { HF, IF, R, yuan } from './common.tsx';
import { blankMember, householdBody, HouseholdFields, memberBody, MemberFields } from './fields.tsx';

const T = defineMessages({
  title: { zh: '登记农户（建档立卡）', en: 'Register a household' },
  subtitle: { zh: '带 * 的为必填项；填写内容会自动保存为草稿，刷新或超时不会丢失', en: 'Fields with * are required; what you type is kept as a draft, so a reload or timeout loses nothing' },
  household: { zh: '农户基本信息', en: 'Household' },
  members: { zh: '家庭成员（{n} 人）', en: 'Members ({n})' },
  member: { zh: '成员 {n}', en: 'Member {n}' },
  addMember: { zh: '添加成员', en: 'Add a member' },
  removeMember: { zh: '删除此成员', en: 'Remove this member' },
  headTag: { zh: '户主', en: 'Head' },
  noHead: { zh: '还没有户主：请将一名成员的“与户主关系”选为“本人或户主”', en: 'No head yet: set one member\'s relation to "Head of household"' },
  manyHeads: { zh: '只能有一名户主，现在有 {n} 名', en: 'Only one head is allowed; there are {n}' },
  income: { zh: '年度收入（可选）', en: 'Income of a year (optional)' },
  withIncome: { zh: '同时登记收入', en: 'Record income now' },
  noIncomeYet: { zh: '暂不登记收入，可在农户详情的「收入」页补登。', en: 'No income recorded now; it can be added later on the household\'s Income tab.' },
  derived: { zh: '按 {n} 人计算：家庭年纯收入 {net}，人均纯收入 {per}', en: 'For {n} persons: net income {net}, per person {per}' },
  save: { zh: '保存登记', en: 'Save' },
  saved: { zh: '已登记农户 {no}（户主 {head}）', en: 'Household {no} registered (head {head})' },
  refused: { zh: '未能保存，请按提示修改', en: 'Not saved; correct what is marked' },
  fixMarked: { zh: '请先修改标红的内容', en: 'Correct the fields marked in red first' },
  draftRestored: { zh: '已恢复 {when} 未提交的草稿。', en: 'The unsaved draft of {when} was restored.' },
  discardDraft: { zh: '清空重填', en: 'Start over' },
  village: { zh: '所在村', en: 'Village' },
  pickVillage: { zh: '选择所在村（社区）', en: 'Choose the village' },
  noCreate: { zh: '您的角色不能登记农户', en: 'Your role cannot register households' },
  yuanHint: { zh: '单位：元/年', en: 'yuan per year' },
});

interface FormValues extends Record<string, unknown> {
  areaCode?: string;
  members: Record<string, unknown>[];
  withIncome?: boolean;
  income?: Record<string, number | undefined>;
}

const THIS_YEAR = new Date().getFullYear();

function initialValues(areaCode?: string): FormValues {
  return {
    areaCode,
    householdType: 'registeredPoor',
    status: 'notExited',
    identificationStandard: 'national',
    identificationYear: THIS_YEAR,
    otherPovertyCauses: [],
    members: [blankMember('head')],
    withIncome: false,
    income: { year: THIS_YEAR - 1, wageIncome: 0, productionIncome: 0, propertyIncome: 0, transferIncome: 0, productionCosts: 0 },
  };
}

export function HouseholdNewPage() {
  const { t, lang } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [draftAt, setDraftAt] = useState<string | null>(null);
  const draftKey = `fupin.draft.household-new.${user.id}`;
  const timer = useRef<number | undefined>(undefined);
  const fixedVillage = scope?.level === 'village' ? scope : null;
  const presetVillage = fixedVillage?.code ?? params.get('village') ?? undefined;

  // Restore the draft once.
  useEffect(() => {
    try {
      const raw = localStorage.getItem(draftKey);
      if (raw) {
        const d = JSON.parse(raw) as { savedAt: string; values: FormValues };
        form.setFieldsValue({ ...d.values, ...(fixedVillage ? { areaCode: fixedVillage.code } : {}) });
        setDraftAt(d.savedAt);
      }
    } catch {}
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draftKey]);

  const pending = useRef(false);
  const saveDraft = useCallback(() => {
    pending.current = false;
    try {
      localStorage.setItem(draftKey, JSON.stringify({ savedAt: new Date().toISOString(), values: form.getFieldsValue(true) }));
    } catch {}
  }, [draftKey, form]);

  // A reload or a closed tab within the 400 ms after the last keystroke keeps it too.
  useEffect(() => {
    const flush = () => {
      if (!pending.current) return;
      window.clearTimeout(timer.current);
      saveDraft();
    };
    window.addEventListener('pagehide', flush);
    return () => {
      window.removeEventListener('pagehide', flush);
      window.clearTimeout(timer.current);
    };
  }, [saveDraft]);

  const keepDraft = () => {
    window.clearTimeout(timer.current);
    pending.current = true;
    timer.current = window.setTimeout(saveDraft, 400);
  };

  const discardDraft = () => {
    window.clearTimeout(timer.current);
    pending.current = false;
    try {
      localStorage.removeItem(draftKey);
    } catch {}
    setDraftAt(null);
    setRefusal(null);
    form.resetFields();
    form.setFieldsValue(initialValues(presetVillage));
  };

  const members = (Form.useWatch('members', form) ?? []) as Record<string, unknown>[];
  const withIncome = Form.useWatch('withIncome', form) as boolean | undefined;
  const income = Form.useWatch('income', form) as Record<string, number | undefined> | undefined;
  const heads = members.filter((m) => m?.relationToHead === 'head').length;
  const derived = useMemo(() => {
    if (!withIncome || !income || members.length < 1) return null;
    const n = (k: string) => Number(income[k] ?? 0) || 0;
    return deriveIncome({ wageIncome: n('wageIncome'), productionIncome: n('productionIncome'), propertyIncome: n('propertyIncome'), transferIncome: n('transferIncome'), productionCosts: n('productionCosts') }, members.length);
  }, [withIncome, income, members.length]);

  const submit = async (v: FormValues) => {
    setRefusal(null);
    if (heads !== 1) {
      setRefusal(heads === 0 ? t(T.noHead) : t(T.manyHeads, { n: heads }));
      return;
    }
    const all = form.getFieldsValue(true) as FormValues;
    const { members: ms, withIncome: wi, income: inc, ...fields } = { ...all, ...v };
    const body = {
      ...householdBody(fields),
      members: ms.map(memberBody),
      ...(wi && inc ? { income: Object.fromEntries(Object.entries(inc).map(([k, x]) => [k, x ?? 0])) } : {}),
    };
    setSaving(true);
    try {
      const h = await post<HouseholdDto>('/households', body);
      window.clearTimeout(timer.current);
      pending.current = false;
      try {
        localStorage.removeItem(draftKey);
      } catch {}
      message.success(t(T.saved, { no: h.householdNo, head: h.headName }));
      navigate(`/households/${h.id}`);
    } catch (e) {
      applyFieldErrors(form, e, lang);
      setRefusal(errorText(e, lang));
      if (!(e instanceof ApiError) || !e.details.issues?.length) message.error(errorText(e, lang));
    } finally {
      setSaving(false);
    }
  };

  if (!can(HOUSEHOLDS['households.create'])) return <Alert type="warning" showIcon title={t(T.noCreate)} />;

  const village = fixedVillage ? (
    <Form.Item label={t(T.village)} required>
      <Typography.Text strong>{fixedVillage.name}</Typography.Text> <Typography.Text type="secondary">{fixedVillage.code}</Typography.Text>
      <Form.Item name="areaCode" hidden noStyle>
        <input type="hidden" />
      </Form.Item>
    </Form.Item>
  ) : (
    <Form.Item name="areaCode" label={t(HF.areaCode)} rules={[{ required: true, message: t(T.pickVillage) }]}>
      <AreaTreeSelect rootCode={scope?.code ?? user.areaCode} levels={['village']} placeholder={t(T.pickVillage)} />
    </Form.Item>
  );

  return (
    <>
      <PageHeader
        breadcrumb={[{ key: 'list', title: <Link to="/households">{t(R.listTitle)}</Link> }, { key: 'new', title: t(T.title) }]}
        title={t(T.title)}
        subtitle={t(T.subtitle)}
      />
      {draftAt && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t(T.draftRestored, { when: formatDateTime(draftAt) })}
          action={
            <Button size="small" onClick={discardDraft}>
              {t(T.discardDraft)}
            </Button>
          }
        />
      )}
      <Form<FormValues>
        form={form}
        name="hh"
        layout="vertical"
        size="middle"
        initialValues={initialValues(presetVillage)}
        onValuesChange={keepDraft}
        onFinish={submit}
        onFinishFailed={() => message.warning(t(T.fixMarked))}
        scrollToFirstError={{ block: 'center' }}
        requiredMark
      >
        <Card title={t(T.household)} size="small" style={{ marginBottom: 12 }}>
          <HouseholdFields form={form} village={village} />
        </Card>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <Card
              size="small"
              title={t(T.members, { n: fields.length })}
              style={{ marginBottom: 12 }}
              extra={
                <Button icon={<UserAddOutlined />} onClick={() => add(blankMember(fields.length === 0 ? 'head' : undefined))}>
                  {t(T.addMember)}
                </Button>
              }
            >
              {heads !== 1 && <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={heads === 0 ? t(T.noHead) : t(T.manyHeads, { n: heads })} data-testid="head-check" />}
              {fields.map((f, i) => (
                <Card
                  key={f.key}
                  size="small"
                  type="inner"
                  data-testid={`member-${i}`}
                  style={{ marginBottom: 10, borderColor: members[i]?.relationToHead === 'head' ? '#fca5a5' : undefined }}
                  title={
                    <Space>
                      {t(T.member, { n: i + 1 })}
                      {members[i]?.relationToHead === 'head' && <Tag color="red">{t(T.headTag)}</Tag>}
                      {typeof members[i]?.name === 'string' && <Typography.Text type="secondary">{members[i]?.name as string}</Typography.Text>}
                    </Space>
                  }
                  extra={
                    fields.length > 1 && (
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} onClick={() => remove(f.name)} aria-label={t(T.removeMember)}>
                        {t(T.removeMember)}
                      </Button>
                    )
                  }
                >
                  <MemberFields form={form} rel={[f.name]} abs={['members', f.name]} />
                </Card>
              ))}
              <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(blankMember())}>
                {t(T.addMember)}
              </Button>
            </Card>
          )}
        </Form.List>
        <Card
          size="small"
          title={t(T.income)}
          style={{ marginBottom: 12 }}
          extra={
            <label className="fupin-nowrap">
              <Form.Item name="withIncome" valuePropName="checked" noStyle>
                <Switch size="small" aria-label={t(T.withIncome)} />
              </Form.Item>{' '}
              {t(T.withIncome)}
            </label>
          }
        >
          {withIncome ? (
            <>
              <Row gutter={12}>
                <Col span={4}>
                  <Form.Item name={['income', 'year']} label={t(IF.year)} rules={[{ required: true }]}>
                    <InputNumber min={2000} max={THIS_YEAR + 1} precision={0} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                {(['wageIncome', 'productionIncome', 'propertyIncome', 'transferIncome', 'productionCosts'] as const).map((k) => (
                  <Col span={4} key={k}>
                    <Form.Item name={['income', k]} label={t(IF[k])} tooltip={t(T.yuanHint)}>
                      <InputNumber min={0} max={100000000} precision={2} step={100} style={{ width: '100%' }} prefix="¥" />
                    </Form.Item>
                  </Col>
                ))}
              </Row>
              {derived && (
                <Descriptions size="small" bordered column={3} data-testid="income-derived">
                  <Descriptions.Item label={t(IF.memberCount)}>{derived.memberCount}</Descriptions.Item>
                  <Descriptions.Item label={t(IF.netIncome)}>{yuan(derived.netIncome)}</Descriptions.Item>
                  <Descriptions.Item label={t(IF.perCapitaNetIncome)}>
                    <strong>{yuan(derived.perCapitaNetIncome)}</strong>
                  </Descriptions.Item>
                </Descriptions>
              )}
            </>
          ) : (
            <Typography.Text type="secondary">{t(T.noIncomeYet)}</Typography.Text>
          )}
        </Card>
        {refusal && <Alert type="error" showIcon style={{ marginBottom: 12 }} title={t(T.refused)} description={refusal} role="alert" data-testid="refusal" />}
        <Flex justify="end" gap={8} className="fupin-form-actions">
          <Button onClick={() => navigate('/households')}>{t(R.back)}</Button>
          <Button type="primary" htmlType="submit" icon={<SaveOutlined />} loading={saving}>
            {t(T.save)}
          </Button>
        </Flex>
      </Form>
    </>
  );
}
