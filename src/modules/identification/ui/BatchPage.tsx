/**
 * One identification batch (/identification/batches/:id): the households per state, the procedure as a
 * step bar (with 比对 where the province has it), each application with its state, objections, red-line
 * hits and votes, the steps the signed-in role may take now (each a form: the appraisal, a notice, a
 * review, the approval, registration; rejection and withdrawal per household), objections (record,
 * decide), and the notices with links to their printable lists.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { App as AntApp, Alert, Button, Card, Checkbox, Col, Descriptions, Empty, Flex, Form, Grid, Input, InputNumber, List, Radio, Row, Select, Skeleton, Space, Steps, Table, Tag, Tooltip, Typography, Upload } from 'antd';
import type { TableColumnsType } from 'antd';
import { PaperClipOutlined, PrinterOutlined, UploadOutlined } from '@ant-design/icons';
import type { ApplicationDto, BatchDto, NoticeKind, ObjectionDto, StepResultDto } from '../contract.ts';
import { IDENTIFICATION } from '../permissions.ts';
import { IDENTIFICATION_STATES, type IdentificationAction, type IdentificationState } from '../rules.ts';
import type { Page } from '../../../shared/paging.ts';
import { errorText, get, post, upload } from '../../../client/api-client.ts';
import { defineMessages, useI18n, type Msg } from '../../../client/i18n.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { ActionModal } from './ActionModal.tsx';
import { ACTION_MSG, addDays, BlockedAlert, NOTICE_MSG, notFuture, P, StateTag, todayYmd, useCodeLabels } from './procedure-common.tsx';

const T = defineMessages({
  subtitle: { zh: '{township} {village} · {year} 年 · 共 {n} 户', en: '{village}, {township} · {year} · {n} households' },
  apply: { zh: '农户申请', en: 'Application' },
  register: { zh: '登记', en: 'Registration' },
  applications: { zh: '申请农户', en: 'Applications' },
  objections: { zh: '异议', en: 'Objections' },
  redLines: { zh: '红线', en: 'Red lines' },
  redLineTip: { zh: '触及红线（排除规则），须书面说明理由后才能通过', en: 'Exclusion-rule hits: a reviewer must justify them before approval' },
  votes: { zh: '评议票数（赞成/反对）', en: 'Votes (for/against)' },
  actions: { zh: '操作', en: 'Actions' },
  timeline: { zh: '经过', en: 'Timeline' },
  recordObjection: { zh: '登记异议', en: 'Record an objection' },
  notices: { zh: '公示与公告', en: 'Notices' },
  noNotice: { zh: '尚未张贴公示', en: 'No notice posted yet' },
  period: { zh: '{start} 至 {end}', en: '{start} to {end}' },
  postedAt: { zh: '张贴地点', en: 'Where posted' },
  objectionContact: { zh: '异议受理', en: 'Objections to' },
  ended: { zh: '已期满', en: 'Ended' },
  running: { zh: '公示中', en: 'Running' },
  announcementRunning: { zh: '公告中', en: 'Running' },
  justifiedTag: { zh: '红线 {n}（已说明）', en: 'Red line {n} (justified)' },
  justifiedTip: { zh: '审核人员已书面说明理由：在识别经过中查看', en: 'Passed on a reviewer’s written justification: see the timeline' },
  print: { zh: '打印名单', en: 'Print the list' },
  appraisal: { zh: '民主评议', en: 'Democratic appraisal' },
  minutesFile: { zh: '会议记录扫描件', en: 'Signed minutes (scan)' },
  noMinutesFile: { zh: '未上传', en: 'Not attached' },
  uploadMinutes: { zh: '上传扫描件', en: 'Attach a scan' },
  minutesHint: { zh: 'PDF、JPEG 或 PNG，不超过 10 MB', en: 'PDF, JPEG or PNG, at most 10 MB' },
  minutesUploaded: { zh: '会议记录已上传', en: 'Minutes attached' },
  meetingDate: { zh: '会议日期', en: 'Meeting date' },
  representatives: { zh: '应到代表', en: 'Representatives' },
  attended: { zh: '实到代表', en: 'Attended' },
  chairedBy: { zh: '主持人', en: 'Chair' },
  minutes: { zh: '会议记录', en: 'Minutes' },
  votesFor: { zh: '赞成', en: 'For' },
  votesAgainst: { zh: '反对', en: 'Against' },
  quorum: { zh: '到会代表须达应到的三分之二', en: 'Two thirds of the representatives must attend' },
  quorumShort: { zh: '应到 {reps} 人，至少 {need} 人到会', en: 'At least {need} of {reps} must attend' },
  tooMany: { zh: '实到不能多于应到', en: 'More attended than there are representatives' },
  startDate: { zh: '开始日期', en: 'First day' },
  endDate: { zh: '结束日期', en: 'Last day' },
  minDays: { zh: '{what}期不少于 {n} 天（含首尾）', en: 'At least {n} days, both counted' },
  noticeWord: { zh: '公示', en: 'Notice' },
  announcementWord: { zh: '公告', en: 'Announcement' },
  subset: { zh: '办理的农户（不选则为全部可办理的农户）', en: 'Households (all that can take the step when none chosen)' },
  skipBlocked: { zh: '跳过受阻户（其余农户照常办理）', en: 'Skip blocked households (the others go on)' },
  moved: { zh: '已办理 {n} 户', en: '{n} households moved' },
  openFirstNotice: { zh: '张贴第一次公示', en: 'Post the first notice' },
  openSecondNotice: { zh: '张贴第二次公示', en: 'Post the second notice' },
  announce: { zh: '发布公告', en: 'Announce' },
  rejectTitle: { zh: '不予认定：{head}户', en: 'Reject: {head}' },
  withdrawTitle: { zh: '撤回申请：{head}户', en: 'Withdraw: {head}' },
  done: { zh: '已办理', en: 'Done' },
  objectionTitle: { zh: '登记异议：{head}户', en: 'Objection against {head}' },
  raisedOn: { zh: '提出日期', en: 'Raised on' },
  raisedBy: { zh: '提出人（不填为匿名）', en: 'Raised by (empty: anonymous)' },
  anonymous: { zh: '匿名', en: 'Anonymous' },
  contact: { zh: '联系方式', en: 'Contact' },
  grounds: { zh: '异议理由', en: 'Grounds' },
  decide: { zh: '处理', en: 'Decide' },
  decideTitle: { zh: '处理异议：{head}户', en: 'Decide the objection against {head}' },
  decision: { zh: '处理结果', en: 'Decision' },
  upheld: { zh: '异议成立（该户不予认定）', en: 'Upheld (the household is taken out)' },
  dismissed: { zh: '异议不成立', en: 'Dismissed' },
  upheldTag: { zh: '成立', en: 'Upheld' },
  dismissedTag: { zh: '不成立', en: 'Dismissed' },
  openTag: { zh: '待处理', en: 'Open' },
  investigation: { zh: '调查核实情况', en: 'Investigation' },
  decisionReason: { zh: '处理理由', en: 'Reason' },
  decidedOn: { zh: '处理日期', en: 'Decided on' },
  noObjection: { zh: '没有异议', en: 'No objection' },
  objectionSaved: { zh: '异议已登记', en: 'Objection recorded' },
  objectionDecided: { zh: '异议已处理', en: 'Objection decided' },
  households: { zh: '{n} 户', en: '{n} households' },
  nextStep: { zh: '下一步：{step}', en: 'Next: {step}' },
});

/** The API path of each batch step. */
const STEP_PATH: Partial<Record<IdentificationAction, string>> = {
  appraise: 'appraisal',
  crossCheck: 'cross-check',
  openFirstNotice: 'notices',
  reviewTownship: 'township-review',
  openSecondNotice: 'notices',
  approveCounty: 'county-approval',
  announce: 'notices',
  register: 'registration',
};
const NOTICE_OF: Partial<Record<IdentificationAction, NoticeKind>> = { openFirstNotice: 'firstNotice', openSecondNotice: 'secondNotice', announce: 'announcement' };
const BATCH_ACTIONS: IdentificationAction[] = ['appraise', 'crossCheck', 'openFirstNotice', 'reviewTownship', 'openSecondNotice', 'approveCounty', 'announce', 'register'];
const IN_NOTICE: IdentificationState[] = ['firstNotice', 'secondNotice', 'announced'];

/** The states of the step bar, in order, and the label of the step reaching each. */
function barStates(crossCheck: boolean): { state: IdentificationState; label: Msg }[] {
  // Short English names: the bar has nine narrow steps.
  const short = (m: Msg, en: string): Msg => ({ zh: m.zh, en });
  return [
    { state: 'applied', label: short(T.apply, 'Apply') },
    { state: 'appraised', label: short(ACTION_MSG.appraise, 'Appraise') },
    ...(crossCheck ? [{ state: 'crossChecked' as const, label: short(ACTION_MSG.crossCheck, 'Check') }] : []),
    { state: 'firstNotice', label: short(ACTION_MSG.openFirstNotice, 'Notice 1') },
    { state: 'townshipReviewed', label: short(ACTION_MSG.reviewTownship, 'Township') },
    { state: 'secondNotice', label: short(ACTION_MSG.openSecondNotice, 'Notice 2') },
    { state: 'countyApproved', label: short(ACTION_MSG.approveCounty, 'County') },
    { state: 'announced', label: short(ACTION_MSG.announce, 'Announce') },
    { state: 'registered', label: short(T.register, 'Register') },
  ];
}

type Dialog =
  | { kind: 'step'; action: IdentificationAction }
  | { kind: 'end'; action: 'reject' | 'withdraw'; app: ApplicationDto }
  | { kind: 'objection'; app: ApplicationDto }
  | { kind: 'decide'; objection: ObjectionDto };

interface StepValues {
  onDate?: string;
  responsiblePerson: string;
  note?: string;
  applicationIds?: string[];
  skipBlocked?: boolean;
}
interface AppraisalValues extends StepValues {
  meetingDate: string;
  representatives: number;
  attended: number;
  chairedBy: string;
  minutes?: string;
  votes: Record<string, { votesFor?: number | null; votesAgainst?: number | null }>;
}
interface NoticeValues extends StepValues {
  startDate: string;
  endDate: string;
  postedAt: string;
  objectionContact: string;
}

const blank = (v: string | undefined) => (v && v.trim() ? v.trim() : undefined);

export function BatchPage() {
  const { id = '' } = useParams();
  const { t, lang } = useI18n();
  const { can } = useSession();
  const { user } = useSignedIn();
  const { message } = AntApp.useApp();
  const codeLabel = useCodeLabels();
  const [batch, setBatch] = useState<BatchDto | null>(null);
  const [objections, setObjections] = useState<ObjectionDto[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [lastResult, setLastResult] = useState<StepResultDto | null>(null);
  const screens = Grid.useBreakpoint();

  const load = useCallback(async () => {
    setError(null);
    try {
      const [b, o] = await Promise.all([get<BatchDto>(`/identification/batches/${id}`), get<Page<ObjectionDto>>('/identification/objections', { batchId: id, pageSize: 200 })]);
      setBatch(b);
      setObjections(o.items);
    } catch (e) {
      setError(e);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const offered = useMemo(() => BATCH_ACTIONS.filter((a) => batch?.applications.some((x) => x.nextActions.includes(a))), [batch]);
  const who = user.displayName || user.username;
  const today = todayYmd();
  const close = () => setDialog(null);

  if (error) return <LoadError error={error} onRetry={load} />;
  if (!batch) return <Card><Skeleton active paragraph={{ rows: 10 }} /></Card>;

  const bar = barStates(batch.crossCheckStep);
  const live = batch.applications.filter((a) => !['registered', 'rejected', 'withdrawn'].includes(a.state));
  const idx = (s: IdentificationState) => bar.findIndex((b) => b.state === s);
  // The step waiting now: the one after the state of the batch's slowest live application.
  const current = live.length ? Math.min(Math.min(...live.map((a) => idx(a.state))) + 1, bar.length - 1) : bar.length - 1;
  const eligible = (action: IdentificationAction) => batch.applications.filter((a) => a.nextActions.includes(action));
  const actionLabel = (a: IdentificationAction) => t(a === 'openFirstNotice' ? T.openFirstNotice : a === 'openSecondNotice' ? T.openSecondNotice : a === 'announce' ? T.announce : ACTION_MSG[a]);

  const afterStep = (r: StepResultDto) => {
    setBatch(r.batch);
    setLastResult(r.blocked.length ? r : null);
    message.success(t(T.moved, { n: r.moved }));
    close();
    void load();
  };

  const sendStep = async (action: IdentificationAction, body: Record<string, unknown>) => {
    const r = await post<StepResultDto>(`/identification/batches/${batch.id}/${STEP_PATH[action]}`, body);
    afterStep(r);
  };

  const signed = (v: StepValues) => ({
    onDate: blank(v.onDate),
    responsiblePerson: v.responsiblePerson.trim(),
    note: blank(v.note),
    applicationIds: v.applicationIds && v.applicationIds.length ? v.applicationIds : undefined,
    skipBlocked: v.skipBlocked ?? false,
  });

  /** The fields every step shares: date, 责任人, note, and the optional subset. */
  /** 责任人: every step is signed by the person responsible for it. */
  const responsibleItem = (
    <Form.Item name="responsiblePerson" label={t(P.responsiblePerson)} rules={[{ required: true, whitespace: true, max: 50 }]}>
      <Input maxLength={50} />
    </Form.Item>
  );
  /** The step's date (not in the future) and its 责任人, side by side. */
  const signedRow = (withDate = true) => (
    <Row gutter={12}>
      {withDate && (
        <Col xs={24} sm={12}>
          <Form.Item name="onDate" label={t(P.onDate)} rules={[notFuture(lang)]}>
            <DateInput max={today} />
          </Form.Item>
        </Col>
      )}
      <Col xs={24} sm={12}>
        {responsibleItem}
      </Col>
    </Row>
  );
  const signedFields = (action: IdentificationAction, withDate = true) => (
    <>
      {signedRow(withDate)}
      {eligible(action).length > 1 && (
        <>
          <Form.Item name="applicationIds" label={t(T.subset)}>
            <Select mode="multiple" allowClear options={eligible(action).map((a) => ({ value: a.id, label: `${a.headName}（${a.householdNo}）` }))} />
          </Form.Item>
          <Form.Item name="skipBlocked" valuePropName="checked">
            <Checkbox>{t(T.skipBlocked)}</Checkbox>
          </Form.Item>
        </>
      )}
      <Form.Item name="note" label={t(P.note)} rules={[{ max: 500 }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
    </>
  );

  const stepDialog = (action: IdentificationAction) => {
    const title = actionLabel(action);
    if (action === 'appraise') {
      const apps = eligible('appraise');
      return (
        <ActionModal<AppraisalValues>
          open
          name="appraisal"
          title={title}
          width={640}
          initialValues={{ meetingDate: today, responsiblePerson: who, votes: {} }}
          onCancel={close}
          onSubmit={(v) =>
            sendStep('appraise', {
              ...signed(v),
              onDate: undefined,
              meetingDate: v.meetingDate,
              representatives: v.representatives,
              attended: v.attended,
              chairedBy: v.chairedBy.trim(),
              minutes: blank(v.minutes),
              votes: apps
                .map((a) => ({ applicationId: a.id, votesFor: v.votes?.[a.id]?.votesFor, votesAgainst: v.votes?.[a.id]?.votesAgainst }))
                .filter((x) => typeof x.votesFor === 'number' || typeof x.votesAgainst === 'number')
                .map((x) => ({ applicationId: x.applicationId, votesFor: x.votesFor ?? 0, votesAgainst: x.votesAgainst ?? 0 })),
            })
          }
        >
          {() => (
            <>
              <Row gutter={12}>
                <Col xs={24} sm={8}>
                  <Form.Item name="meetingDate" label={t(T.meetingDate)} rules={[{ required: true }, notFuture(lang)]}>
                    <DateInput max={today} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item name="representatives" label={t(T.representatives)} rules={[{ required: true }]}>
                    <InputNumber min={1} max={1000} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
                <Col xs={12} sm={8}>
                  <Form.Item
                    name="attended"
                    label={t(T.attended)}
                    dependencies={['representatives']}
                    extra={t(T.quorum)}
                    rules={[
                      { required: true },
                      ({ getFieldValue }) => ({
                        // The province's quorum, checked before sending (the server checks it too).
                        validator: (_, v: number | null) => {
                          const reps = Number(getFieldValue('representatives') ?? 0);
                          const need = Math.ceil(reps * batch.appraisalQuorum - 1e-9);
                          if (v === null || v === undefined || reps <= 0 || batch.appraisalQuorum <= 0) return Promise.resolve();
                          if (v > reps) return Promise.reject(new Error(t(T.tooMany)));
                          return v >= need ? Promise.resolve() : Promise.reject(new Error(t(T.quorumShort, { need, reps })));
                        },
                      }),
                    ]}
                  >
                    <InputNumber min={0} max={1000} style={{ width: '100%' }} />
                  </Form.Item>
                </Col>
              </Row>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="chairedBy" label={t(T.chairedBy)} rules={[{ required: true, whitespace: true, max: 50 }]}>
                    <Input maxLength={50} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  {responsibleItem}
                </Col>
              </Row>
              <Form.Item name="minutes" label={t(T.minutes)} rules={[{ max: 5000 }]}>
                <Input.TextArea rows={3} maxLength={5000} />
              </Form.Item>
              <Typography.Text strong>{t(T.votes)}</Typography.Text>
              <Table<ApplicationDto>
                rowKey="id"
                size="small"
                pagination={false}
                dataSource={apps}
                style={{ marginTop: 6 }}
                columns={[
                  { key: 'h', title: t(P.head), dataIndex: 'headName' },
                  {
                    key: 'for',
                    title: t(T.votesFor),
                    width: 110,
                    render: (_, a) => (
                      <Form.Item name={['votes', a.id, 'votesFor']} noStyle>
                        <InputNumber min={0} style={{ width: 90 }} aria-label={`${a.headName} ${t(T.votesFor)}`} />
                      </Form.Item>
                    ),
                  },
                  {
                    key: 'against',
                    title: t(T.votesAgainst),
                    width: 110,
                    render: (_, a) => (
                      <Form.Item name={['votes', a.id, 'votesAgainst']} noStyle>
                        <InputNumber min={0} style={{ width: 90 }} aria-label={`${a.headName} ${t(T.votesAgainst)}`} />
                      </Form.Item>
                    ),
                  },
                ]}
              />
            </>
          )}
        </ActionModal>
      );
    }
    const kind = NOTICE_OF[action];
    if (kind) {
      const days = kind === 'announcement' ? batch.announcementDays : batch.noticeDays;
      const what = kind === 'announcement' ? t(T.announcementWord) : t(T.noticeWord);
      return (
        <ActionModal<NoticeValues>
          open
          name="notice"
          title={title}
          initialValues={{ startDate: today, endDate: addDays(today, days - 1), responsiblePerson: who }}
          onCancel={close}
          onSubmit={(v) =>
            sendStep(action, { ...signed(v), onDate: undefined, kind, startDate: v.startDate, endDate: v.endDate, postedAt: v.postedAt.trim(), objectionContact: v.objectionContact.trim() })
          }
        >
          {() => (
            <>
              <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t(T.minDays, { what, n: days })} data-testid="min-days" />
              <Row gutter={12}>
                <Col xs={12}>
                  <Form.Item name="startDate" label={t(T.startDate)} rules={[{ required: true }]}>
                    <DateInput />
                  </Form.Item>
                </Col>
                <Col xs={12}>
                  <Form.Item name="endDate" label={t(T.endDate)} rules={[{ required: true }]}>
                    <DateInput />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item name="postedAt" label={t(T.postedAt)} rules={[{ required: true, whitespace: true, max: 200 }]}>
                <Input maxLength={200} placeholder={lang === 'zh' ? '如：村务公开栏' : 'e.g. the village notice board'} />
              </Form.Item>
              <Form.Item name="objectionContact" label={t(T.objectionContact)} rules={[{ required: true, whitespace: true, max: 200 }]}>
                <Input maxLength={200} placeholder={lang === 'zh' ? '如：乡镇扶贫办 电话' : 'e.g. the township office, phone'} />
              </Form.Item>
              {signedFields(action, false)}
            </>
          )}
        </ActionModal>
      );
    }
    return (
      <ActionModal<StepValues> open name="step" title={title} initialValues={{ onDate: today, responsiblePerson: who }} onCancel={close} onSubmit={(v) => sendStep(action, signed(v))}>
        {() => signedFields(action)}
      </ActionModal>
    );
  };

  const dialogs = () => {
    if (!dialog) return null;
    if (dialog.kind === 'step') return stepDialog(dialog.action);
    if (dialog.kind === 'end') {
      const { app, action } = dialog;
      return (
        <ActionModal<StepValues & { reason: string }>
          open
          name="end"
          title={t(action === 'reject' ? T.rejectTitle : T.withdrawTitle, { head: app.headName })}
          initialValues={{ onDate: today, responsiblePerson: who }}
          onCancel={close}
          onSubmit={async (v) => {
            await post(`/identification/applications/${app.id}/${action === 'reject' ? 'rejection' : 'withdrawal'}`, {
              onDate: blank(v.onDate),
              responsiblePerson: v.responsiblePerson.trim(),
              reason: v.reason.trim(),
              version: app.version,
            });
            message.success(t(T.done));
            close();
            await load();
          }}
        >
          {() => (
            <>
              {signedRow()}
              <Form.Item name="reason" label={t(P.reason)} rules={[{ required: true, whitespace: true, max: 500 }]}>
                <Input.TextArea rows={3} maxLength={500} />
              </Form.Item>
            </>
          )}
        </ActionModal>
      );
    }
    if (dialog.kind === 'objection') {
      const { app } = dialog;
      return (
        <ActionModal<{ raisedOn: string; raisedBy?: string; anonymous?: boolean; contact?: string; grounds: string }>
          open
          name="objection"
          title={t(T.objectionTitle, { head: app.headName })}
          initialValues={{ raisedOn: today }}
          onCancel={close}
          onSubmit={async (v) => {
            await post(`/identification/applications/${app.id}/objections`, {
              raisedOn: v.raisedOn,
              raisedBy: v.anonymous ? null : (blank(v.raisedBy) ?? null),
              contact: v.anonymous ? null : (blank(v.contact) ?? null),
              grounds: v.grounds.trim(),
            });
            message.success(t(T.objectionSaved));
            close();
            await load();
          }}
        >
          {() => (
            <>
              <Row gutter={12}>
                <Col xs={24} sm={12}>
                  <Form.Item name="raisedOn" label={t(T.raisedOn)} rules={[{ required: true }, notFuture(lang)]}>
                    <DateInput max={today} />
                  </Form.Item>
                </Col>
                <Col xs={24} sm={12}>
                  <Form.Item name="anonymous" label=" " valuePropName="checked">
                    <Checkbox>{t(T.anonymous)}</Checkbox>
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item noStyle shouldUpdate={(a, b) => a.anonymous !== b.anonymous}>
                {({ getFieldValue }) =>
                  !getFieldValue('anonymous') && (
                    <Row gutter={12}>
                      <Col xs={24} sm={12}>
                        <Form.Item name="raisedBy" label={t(T.raisedBy)} rules={[{ max: 50 }]}>
                          <Input maxLength={50} />
                        </Form.Item>
                      </Col>
                      <Col xs={24} sm={12}>
                        <Form.Item name="contact" label={t(T.contact)} rules={[{ max: 100 }]}>
                          <Input maxLength={100} />
                        </Form.Item>
                      </Col>
                    </Row>
                  )
                }
              </Form.Item>
              <Form.Item name="grounds" label={t(T.grounds)} rules={[{ required: true, whitespace: true, max: 2000 }]}>
                <Input.TextArea rows={3} maxLength={2000} />
              </Form.Item>
            </>
          )}
        </ActionModal>
      );
    }
    const { objection } = dialog;
    return (
      <ActionModal<{ decision: 'upheld' | 'dismissed'; decidedOn?: string; investigation: string; reason: string; responsiblePerson: string }>
        open
        name="decision"
        title={t(T.decideTitle, { head: objection.headName })}
        initialValues={{ decidedOn: today, responsiblePerson: who }}
        onCancel={close}
        onSubmit={async (v) => {
          await post(`/identification/objections/${objection.id}/decision`, {
            decision: v.decision,
            decidedOn: blank(v.decidedOn),
            investigation: v.investigation.trim(),
            reason: v.reason.trim(),
            responsiblePerson: v.responsiblePerson.trim(),
          });
          message.success(t(T.objectionDecided));
          close();
          await load();
        }}
      >
        {() => (
          <>
            <Typography.Paragraph type="secondary">
              {t(T.grounds)}
              {lang === 'zh' ? '：' : ': '}
              {objection.grounds}
            </Typography.Paragraph>
            <Form.Item name="decision" label={t(T.decision)} rules={[{ required: true }]}>
              <Radio.Group>
                <Space vertical>
                  <Radio value="dismissed">{t(T.dismissed)}</Radio>
                  <Radio value="upheld">{t(T.upheld)}</Radio>
                </Space>
              </Radio.Group>
            </Form.Item>
            <Form.Item name="investigation" label={t(T.investigation)} rules={[{ required: true, whitespace: true, max: 2000 }]}>
              <Input.TextArea rows={3} maxLength={2000} />
            </Form.Item>
            <Form.Item name="reason" label={t(T.decisionReason)} rules={[{ required: true, whitespace: true, max: 1000 }]}>
              <Input.TextArea rows={2} maxLength={1000} />
            </Form.Item>
            <Row gutter={12}>
              <Col xs={24} sm={12}>
                <Form.Item name="decidedOn" label={t(T.decidedOn)} rules={[notFuture(lang)]}>
                  <DateInput max={today} />
                </Form.Item>
              </Col>
              <Col xs={24} sm={12}>
                {responsibleItem}
              </Col>
            </Row>
          </>
        )}
      </ActionModal>
    );
  };

  const canRecord = can(IDENTIFICATION['identification.apply']);
  const canDecide = can(IDENTIFICATION['identification.review']);

  const columns: TableColumnsType<ApplicationDto> = [
    { key: 'no', title: t(P.householdNo), dataIndex: 'householdNo', width: 150, responsive: ['md'], render: (v: string) => <span className="fupin-mono">{v}</span> },
    { key: 'head', title: t(P.head), dataIndex: 'headName', width: 90, render: (v: string, a) => <Link className="fupin-nowrap" to={`/identification/applications/${a.id}`}>{v}</Link> },
    { key: 'members', title: t(P.members), dataIndex: 'memberCount', width: 60, align: 'right', responsive: ['sm'] },
    { key: 'attr', title: t(P.attribute), dataIndex: 'povertyAttribute', width: 110, responsive: ['lg'], render: (v: string | null) => codeLabel('povertyAttribute', v) },
    { key: 'cause', title: t(P.cause), dataIndex: 'mainPovertyCause', width: 110, responsive: ['md'], render: (v: string | null) => codeLabel('povertyCause', v) },
    {
      key: 'state',
      title: t(P.state),
      width: 130,
      render: (_, a) => (
        <Tooltip title={a.endReason ?? undefined}>
          <span>
            <StateTag state={a.state} />
          </span>
        </Tooltip>
      ),
    },
    {
      key: 'flags',
      title: `${t(T.objections)} / ${t(T.redLines)}`,
      width: 110,
      render: (_, a) => (
        <Space size={0} wrap>
          {a.openObjections > 0 && <Tag color="orange">{`${t(T.objections)} ${a.openObjections}`}</Tag>}
          {a.openRedLineHits > 0 && (
            <Tooltip title={t(T.redLineTip)}>
              <Link to="/identification/red-lines">
                <Tag color="red">{`${t(T.redLines)} ${a.openRedLineHits}`}</Tag>
              </Link>
            </Tooltip>
          )}
          {a.justifiedRedLineHits > 0 && (
            <Tooltip title={t(T.justifiedTip)}>
              <Link to={`/identification/applications/${a.id}`}>
                <Tag color="gold">{t(T.justifiedTag, { n: a.justifiedRedLineHits })}</Tag>
              </Link>
            </Tooltip>
          )}
          {a.openObjections === 0 && a.openRedLineHits === 0 && a.justifiedRedLineHits === 0 && '—'}
        </Space>
      ),
    },
    { key: 'votes', title: t(T.votes), width: 100, responsive: ['lg'], render: (_, a) => (a.votesFor === null ? '—' : `${a.votesFor} / ${a.votesAgainst ?? 0}`) },
    {
      key: 'actions',
      title: t(T.actions),
      width: 170,
      // The actions stay on screen when the table scrolls sideways (narrow windows, English).
      fixed: 'right',
      render: (_, a) => (
        <Space size={0} wrap>
          <Link to={`/identification/applications/${a.id}`}>
            <Button size="small" type="link" style={{ paddingInline: 4 }}>
              {t(T.timeline)}
            </Button>
          </Link>
          {canRecord && IN_NOTICE.includes(a.state) && (
            <Button size="small" type="link" style={{ paddingInline: 4 }} onClick={() => setDialog({ kind: 'objection', app: a })}>
              {t(T.recordObjection)}
            </Button>
          )}
          {a.nextActions.includes('reject') && (
            <Button size="small" type="link" danger style={{ paddingInline: 4 }} onClick={() => setDialog({ kind: 'end', action: 'reject', app: a })}>
              {t(ACTION_MSG.reject)}
            </Button>
          )}
          {a.nextActions.includes('withdraw') && (
            <Button size="small" type="link" danger style={{ paddingInline: 4 }} onClick={() => setDialog({ kind: 'end', action: 'withdraw', app: a })}>
              {t(ACTION_MSG.withdraw)}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        breadcrumb={[{ key: 'i', title: <Link to="/identification">{t(P.title)}</Link> }, { key: 'b', title: batch.title }]}
        title={<span data-testid="batch-title">{batch.title}</span>}
        subtitle={t(T.subtitle, { township: batch.townshipName, village: batch.villageName, year: batch.year, n: batch.total })}
        extra={offered.map((a) => (
          <Button key={a} type="primary" onClick={() => setDialog({ kind: 'step', action: a })} data-testid={`step-${a}`}>
            {actionLabel(a)}
          </Button>
        ))}
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space size={[4, 4]} wrap style={{ marginBottom: 12 }} data-testid="batch-states">
          {IDENTIFICATION_STATES.filter((s) => batch.states[s]).map((s) => (
            <StateTag key={s} state={s} count={batch.states[s]} />
          ))}
          {batch.openObjections > 0 && <Tag color="orange">{`${t(T.objections)} ${batch.openObjections}`}</Tag>}
          {batch.openRedLineHits > 0 && (
            <Link to="/identification/red-lines">
              <Tag color="red">{`${t(T.redLines)} ${batch.openRedLineHits}`}</Tag>
            </Link>
          )}
        </Space>
        <div style={{ overflowX: 'auto' }}>
          <Steps
            size="small"
            responsive={false}
            type={screens.xl ? 'default' : 'inline'}
            current={current}
            status={live.length ? 'process' : 'finish'}
            items={bar.map((b) => ({ title: t(b.label), description: batch.states[b.state] ? t(T.households, { n: batch.states[b.state]! }) : undefined }))}
            data-testid="step-bar"
            // On a phone each step keeps room for its name; the bar scrolls sideways in its card.
            style={screens.xl ? undefined : { minWidth: bar.length * 78 }}
          />
        </div>
        {!screens.xl && live.length > 0 && (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 6 }}>
            {t(T.nextStep, { step: t(bar[current]!.label) })}
          </Typography.Text>
        )}
      </Card>
      {lastResult && <BlockedAlert moved={lastResult.moved} blocked={lastResult.blocked} />}
      <Card size="small" title={t(T.applications)} style={{ marginBottom: 12 }} styles={{ body: { padding: 0 } }}>
        <Table<ApplicationDto> rowKey="id" size="small" columns={columns} dataSource={batch.applications} pagination={false} scroll={{ x: 'max-content' }} />
      </Card>
      <Row gutter={12}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t(T.notices)} style={{ marginBottom: 12 }}>
            {batch.notices.length === 0 ? (
              <Typography.Text type="secondary">{t(T.noNotice)}</Typography.Text>
            ) : (
              <List
                dataSource={batch.notices}
                renderItem={(n) => (
                  <List.Item
                    key={n.id}
                    data-testid={`notice-${n.kind}`}
                    actions={[
                      <Link key="p" to={`/identification/batches/${batch.id}/notices/${n.kind}`}>
                        <Button size="small" icon={<PrinterOutlined />}>
                          {t(T.print)}
                        </Button>
                      </Link>,
                    ]}
                  >
                    <List.Item.Meta
                      title={
                        <Space wrap>
                          {t(NOTICE_MSG[n.kind])}
                          <Tag color={n.ended ? 'default' : 'gold'}>{n.ended ? t(T.ended) : n.kind === 'announcement' ? t(T.announcementRunning) : t(T.running)}</Tag>
                        </Space>
                      }
                      description={
                        <>
                          <div>{t(T.period, { start: n.startDate, end: n.endDate })}</div>
                          <div>
                            {t(T.postedAt)}
                            {lang === 'zh' ? '：' : ': '}
                            {n.postedAt} · {t(T.objectionContact)}
                            {lang === 'zh' ? '：' : ': '}
                            {n.objectionContact}
                          </div>
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
          {batch.appraisal && (
            <Card size="small" title={t(T.appraisal)} style={{ marginBottom: 12 }}>
              <Descriptions size="small" column={{ xs: 1, sm: 2 }}>
                <Descriptions.Item label={t(T.meetingDate)}>{batch.appraisal.meetingDate}</Descriptions.Item>
                <Descriptions.Item label={t(T.chairedBy)}>{batch.appraisal.chairedBy}</Descriptions.Item>
                <Descriptions.Item label={t(T.representatives)}>{batch.appraisal.representatives}</Descriptions.Item>
                <Descriptions.Item label={t(T.attended)}>{batch.appraisal.attended}</Descriptions.Item>
                {batch.appraisal.minutes && <Descriptions.Item label={t(T.minutes)}>{batch.appraisal.minutes}</Descriptions.Item>}
                <Descriptions.Item label={t(T.minutesFile)}>
                  <Space wrap>
                    {batch.appraisal.minutesFileName ? (
                      <a href={`/api/identification/batches/${batch.id}/appraisal/minutes`} target="_blank" rel="noreferrer" data-testid="minutes-file" style={{ wordBreak: 'break-all' }}>
                        <PaperClipOutlined /> {batch.appraisal.minutesFileName}
                      </a>
                    ) : (
                      <Typography.Text type="secondary">{t(T.noMinutesFile)}</Typography.Text>
                    )}
                    {can(IDENTIFICATION['identification.apply']) && (
                      <Upload
                        accept=".pdf,.jpg,.jpeg,.png"
                        showUploadList={false}
                        customRequest={({ file }) => {
                          const form = new FormData();
                          form.append('file', file as Blob);
                          upload<BatchDto>(`/identification/batches/${batch.id}/appraisal/minutes`, form)
                            .then((b) => {
                              setBatch(b);
                              message.success(t(T.minutesUploaded));
                            })
                            .catch((e: unknown) => message.error(errorText(e, lang)));
                        }}
                      >
                        <Tooltip title={t(T.minutesHint)}>
                          <Button size="small" icon={<UploadOutlined />}>
                            {t(T.uploadMinutes)}
                          </Button>
                        </Tooltip>
                      </Upload>
                    )}
                  </Space>
                </Descriptions.Item>
              </Descriptions>
            </Card>
          )}
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t(T.objections)} style={{ marginBottom: 12 }}>
            {objections.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t(T.noObjection)} />
            ) : (
              <List
                dataSource={objections}
                renderItem={(o) => (
                  <List.Item
                    key={o.id}
                    actions={
                      o.status === 'open' && canDecide
                        ? [
                            <Button key="d" size="small" type="primary" onClick={() => setDialog({ kind: 'decide', objection: o })}>
                              {t(T.decide)}
                            </Button>,
                          ]
                        : []
                    }
                  >
                    <List.Item.Meta
                      title={
                        <Flex gap={6} wrap align="center">
                          <Link to={`/identification/applications/${o.applicationId}`}>{o.headName}</Link>
                          <Tag color={o.status === 'open' ? 'orange' : o.status === 'upheld' ? 'red' : 'default'}>{t(o.status === 'open' ? T.openTag : o.status === 'upheld' ? T.upheldTag : T.dismissedTag)}</Tag>
                          <Typography.Text type="secondary">
                            {o.raisedOn} · {o.raisedBy ?? t(T.anonymous)}
                          </Typography.Text>
                        </Flex>
                      }
                      description={
                        <>
                          <div>{o.grounds}</div>
                          {o.investigation && (
                            <div>
                              {t(T.investigation)}
                              {lang === 'zh' ? '：' : ': '}
                              {o.investigation}
                            </div>
                          )}
                          {o.decisionReason && (
                            <div>
                              {t(T.decisionReason)}
                              {lang === 'zh' ? '：' : ': '}
                              {o.decisionReason}
                            </div>
                          )}
                        </>
                      }
                    />
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
      </Row>
      {dialogs()}
    </>
  );
}
