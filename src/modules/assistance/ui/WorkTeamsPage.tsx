/**
 * 驻村工作队 (/assistance/work-teams): the poor villages of a year without a current team (red tag and
 * count, per township with drill-down), the teams in the scope (village, sending unit, 队长, 第一书记,
 * members, full-time), a team's members and past teams in a drawer, and the county's forms: send a
 * team, add / edit / end a member, end a team, replace it (轮换). A work-team member or village clerk
 * sees their own village's team on the page itself (works on a phone).
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, App as AntApp, Button, Card, Checkbox, Col, Descriptions, Drawer, Empty, Flex, Form, Input, InputNumber, List, Modal, Row, Segmented, Select, Space, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { ApiError, applyFieldErrors, errorText, get, patch, post } from '../../../client/api-client.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { AreaTreeSelect } from '../../../client/components/AreaTreeSelect.tsx';
import { DateInput } from '../../../client/components/DateInput.tsx';
import { LoadError } from '../../../client/components/LoadError.tsx';
import { PageHeader } from '../../../client/components/PageHeader.tsx';
import { useServerPaging } from '../../../client/components/paging.ts';
import { useSession, useSignedIn } from '../../../client/session.tsx';
import { ASSISTANCE } from '../permissions.ts';
import type { TeamChoicesDto, VillagesWithoutTeamDto, WorkTeamDto, WorkTeamMemberDto, WorkTeamPageDto, WorkTeamSummaryDto } from '../contract.ts';

const T = defineMessages({
  title: { zh: '驻村工作队', en: 'Resident work teams' },
  subtitle: {
    zh: '每个贫困村都应有驻村工作队：一个村同时只有一支在任工作队，每队一名队长、一名第一书记。轮换时原工作队留作历史。',
    en: 'Every poor village should have a resident work team: one current team per village, with one leader and one first secretary. A replaced team stays as history.',
  },
  area: { zh: '区域', en: 'Area' },
  year: { zh: '贫困村年度', en: 'Designation year' },
  noTeam: { zh: '无驻村工作队的贫困村', en: 'Poor villages without a work team' },
  noTeamCount: { zh: '{n} 个', en: '{n}' },
  ofPoor: { zh: '共 {n} 个贫困村', en: 'of {n} poor villages' },
  allCovered: { zh: '所有贫困村都有在任工作队', en: 'Every poor village has a current team' },
  township: { zh: '乡镇', en: 'Township' },
  village: { zh: '村', en: 'Village' },
  poorVillages: { zh: '贫困村', en: 'Poor villages' },
  withTeam: { zh: '有队', en: 'With team' },
  withoutTeam: { zh: '无队', en: 'Without' },
  missing: { zh: '无工作队', en: 'No team' },
  relative: { zh: '相对贫困村', en: 'Relatively poor' },
  lastLeft: { zh: '原工作队 {d} 撤离', en: 'Last team left {d}' },
  send: { zh: '派驻工作队', en: 'Send a team' },
  teams: { zh: '工作队', en: 'Teams' },
  current: { zh: '在任', en: 'Current' },
  ended: { zh: '已撤离', en: 'Ended' },
  all: { zh: '全部', en: 'All' },
  unit: { zh: '派出单位', en: 'Sending unit' },
  leader: { zh: '队长', en: 'Leader' },
  secretary: { zh: '第一书记', en: 'First secretary' },
  members: { zh: '队员', en: 'Members' },
  fullTime: { zh: '专职', en: 'Full-time' },
  partTime: { zh: '兼职', en: 'Part-time' },
  start: { zh: '进驻日期', en: 'Start' },
  end: { zh: '撤离日期', en: 'End' },
  status: { zh: '状态', en: 'Status' },
  notPoor: { zh: '非贫困村', en: 'Not poor' },
  open: { zh: '查看', en: 'Open' },
  total: { zh: '共 {n} 支', en: '{n} teams' },
  note: { zh: '备注', en: 'Note' },
  name: { zh: '姓名', en: 'Name' },
  post: { zh: '职务', en: 'Post' },
  phone: { zh: '电话', en: 'Phone' },
  memberUnit: { zh: '所在单位', en: 'Unit' },
  memberStart: { zh: '到岗日期', en: 'Start' },
  memberEnd: { zh: '离队日期', en: 'Left' },
  account: { zh: '系统账号', en: 'Account' },
  history: { zh: '历任工作队', en: 'Past teams' },
  addMember: { zh: '增加队员', en: 'Add a member' },
  editMember: { zh: '修改', en: 'Edit' },
  endMember: { zh: '离队', en: 'Leaves' },
  endTeam: { zh: '工作队撤离', en: 'End the team' },
  replace: { zh: '轮换（派驻新工作队）', en: 'Replace (send a new team)' },
  endDate: { zh: '结束日期', en: 'End date' },
  newTeam: { zh: '新工作队', en: 'New team' },
  save: { zh: '保存', en: 'Save' },
  saved: { zh: '已保存', en: 'Saved' },
  required: { zh: '必填', en: 'Required' },
  addRow: { zh: '添加队员', en: 'Add a member' },
  remove: { zh: '移除', en: 'Remove' },
  ownTeam: { zh: '本村驻村工作队', en: 'Your village’s team' },
  noOwnTeam: { zh: '本村目前没有在任的驻村工作队', en: 'Your village has no current work team' },
  endHint: { zh: '工作队撤离时，在任队员同日离队。', en: 'The team’s current members leave the same day.' },
  replaceHint: { zh: '原工作队及其队员在结束日期撤离，新工作队自进驻日期起在任；原工作队保留在历任工作队中。', en: 'The old team and its members end on the end date; the new team starts on its start date; the old team stays in the history.' },
});

const todayYmd = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const thisYear = () => Number(todayYmd().slice(0, 4));

interface MemberFormValues {
  name: string;
  post?: string;
  phone?: string;
  unitId?: string | null;
  isLeader?: boolean;
  isFirstSecretary?: boolean;
  fullTime?: boolean;
  startDate?: string;
  userId?: string | null;
}

function useChoices(areaCode: string | null) {
  const [choices, setChoices] = useState<TeamChoicesDto | null>(null);
  useEffect(() => {
    let live = true;
    get<TeamChoicesDto>('/assistance/work-teams/choices', { areaCode })
      .then((c) => live && setChoices(c))
      .catch(() => live && setChoices(null));
    return () => {
      live = false;
    };
  }, [areaCode]);
  return choices;
}

/** A member's fields; `name` is the prefix inside a Form.List (e.g. [0]) or [] for a standalone form. */
function MemberFields({ prefix, choices, village, withStart }: { prefix: (string | number)[]; choices: TeamChoicesDto | null; village: string | null; withStart: boolean }) {
  const { t } = useI18n();
  const n = (f: string) => [...prefix, f];
  const accounts = (choices?.accounts ?? []).filter((a) => !village || a.areaCode === village);
  return (
    <Row gutter={12}>
      <Col xs={24} sm={8}>
        <Form.Item name={n('name')} label={t(T.name)} rules={[{ required: true, whitespace: true, message: t(T.required) }, { max: 50 }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col xs={12} sm={8}>
        <Form.Item name={n('post')} label={t(T.post)} rules={[{ max: 50 }]}>
          <Input />
        </Form.Item>
      </Col>
      <Col xs={12} sm={8}>
        <Form.Item name={n('phone')} label={t(T.phone)}>
          <Input inputMode="tel" />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={n('unitId')} label={t(T.memberUnit)}>
          <Select allowClear showSearch optionFilterProp="label" options={(choices?.units ?? []).map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
      </Col>
      <Col xs={24} sm={12}>
        <Form.Item name={n('userId')} label={t(T.account)}>
          <Select allowClear options={accounts.map((a) => ({ value: a.id, label: `${a.displayName}（${a.username}）` }))} />
        </Form.Item>
      </Col>
      {withStart && (
        <Col xs={24} sm={8}>
          <Form.Item name={n('startDate')} label={t(T.memberStart)}>
            <DateInput />
          </Form.Item>
        </Col>
      )}
      <Col xs={24} sm={withStart ? 16 : 24}>
        <Flex gap={16} wrap style={{ marginTop: withStart ? 30 : 0, marginBottom: 12 }}>
          <Form.Item name={n('isLeader')} valuePropName="checked" noStyle>
            <Checkbox>{t(T.leader)}</Checkbox>
          </Form.Item>
          <Form.Item name={n('isFirstSecretary')} valuePropName="checked" noStyle>
            <Checkbox>{t(T.secretary)}</Checkbox>
          </Form.Item>
          <Form.Item name={n('fullTime')} valuePropName="checked" noStyle>
            <Checkbox>{t(T.fullTime)}</Checkbox>
          </Form.Item>
        </Flex>
      </Col>
    </Row>
  );
}

const cleanMember = (m: MemberFormValues) => ({
  name: m.name.trim(),
  post: m.post?.trim() || null,
  phone: m.phone?.trim() || null,
  unitId: m.unitId || null,
  userId: m.userId || null,
  isLeader: !!m.isLeader,
  isFirstSecretary: !!m.isFirstSecretary,
  fullTime: m.fullTime ?? true,
  ...(m.startDate ? { startDate: m.startDate } : {}),
});

/** Sends a team to a village, or (with `replacing`) replaces a team with a new one. */
function TeamFormModal({ open, village, replacing, choices, onClose, onDone }: { open: boolean; village: string | null; replacing: WorkTeamDto | null; choices: TeamChoicesDto | null; onClose: () => void; onDone: (t: WorkTeamDto) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const chosenVillage = (Form.useWatch('villageCode', form) as string | undefined) ?? replacing?.villageCode ?? village;
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue({
      villageCode: village ?? undefined,
      startDate: todayYmd(),
      endDate: todayYmd(),
      members: [
        { isLeader: true, fullTime: true, post: '队长' },
        { isFirstSecretary: true, fullTime: true, post: '第一书记' },
        { fullTime: true, post: '队员' },
      ],
    });
  }, [open, village, form]);
  const submit = async (v: { villageCode?: string; sendingUnitId: string; startDate: string; endDate?: string; note?: string; members?: MemberFormValues[] }) => {
    setBusy(true);
    const team = { sendingUnitId: v.sendingUnitId, startDate: v.startDate, note: v.note?.trim() || null, members: (v.members ?? []).map(cleanMember) };
    try {
      const r = replacing
        ? await post<WorkTeamDto>(`/assistance/work-teams/${replacing.id}/replace`, { version: replacing.version, endDate: v.endDate, team })
        : await post<WorkTeamDto>('/assistance/work-teams', { villageCode: v.villageCode, ...team });
      message.success(t(T.saved));
      onDone(r);
    } catch (e) {
      // The replacement's new-team fields come back under "team".
      if (e instanceof ApiError && e.details.issues) e.details.issues = e.details.issues.map((i) => ({ ...i, path: i.path[0] === 'team' ? i.path.slice(1) : i.path }));
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  const villages = (choices?.poorVillages ?? []).map((p) => ({ value: p.code, label: `${p.townshipName} ${p.name}${p.hasTeam ? `（${t(T.current)}）` : ''}`, disabled: p.hasTeam }));
  return (
    <Modal open={open} title={replacing ? `${t(T.replace)} · ${replacing.villageName}` : t(T.send)} onCancel={onClose} onOk={() => form.submit()} okText={t(T.save)} confirmLoading={busy} width={760} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        {replacing ? (
          <>
            <Alert type="info" showIcon title={t(T.replaceHint)} style={{ marginBottom: 12 }} />
            <Form.Item name="endDate" label={`${t(T.endDate)}（${replacing.villageName}）`} rules={[{ required: true, message: t(T.required) }]}>
              <DateInput max={todayYmd()} />
            </Form.Item>
            <Typography.Title level={5}>{t(T.newTeam)}</Typography.Title>
          </>
        ) : (
          <Form.Item name="villageCode" label={t(T.village)} rules={[{ required: true, message: t(T.required) }]}>
            <Select showSearch optionFilterProp="label" options={villages} />
          </Form.Item>
        )}
        <Row gutter={12}>
          <Col xs={24} sm={14}>
            <Form.Item name="sendingUnitId" label={t(T.unit)} rules={[{ required: true, message: t(T.required) }]}>
              <Select showSearch optionFilterProp="label" options={(choices?.units ?? []).map((u) => ({ value: u.id, label: u.name }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item name="startDate" label={t(T.start)} rules={[{ required: true, message: t(T.required) }]}>
              <DateInput />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="note" label={t(T.note)} rules={[{ max: 500 }]}>
          <Input />
        </Form.Item>
        <Form.List name="members">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f) => (
                <Card key={f.key} size="small" style={{ marginBottom: 8 }} extra={<Button size="small" type="link" danger onClick={() => remove(f.name)}>{t(T.remove)}</Button>}>
                  <MemberFields prefix={[f.name]} choices={choices} village={chosenVillage ?? null} withStart={false} />
                </Card>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({ fullTime: true })} block>
                {t(T.addRow)}
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}

/** A date-only dialog: end a team or a member. */
function EndModal({ title, hint, min, open, onClose, onSubmit }: { title: string; hint?: string; min?: string; open: boolean; onClose: () => void; onSubmit: (endDate: string) => Promise<void> }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  return (
    <Modal open={open} title={title} onCancel={onClose} onOk={() => form.submit()} okText={t(T.save)} okButtonProps={{ danger: true }} confirmLoading={busy} destroyOnHidden>
      {hint && <Alert type="warning" showIcon title={hint} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ endDate: todayYmd() }}
        onFinish={async (v: { endDate: string }) => {
          setBusy(true);
          try {
            await onSubmit(v.endDate);
            message.success(t(T.saved));
          } catch (e) {
            if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Form.Item name="endDate" label={t(T.endDate)} rules={[{ required: true, message: t(T.required) }]}>
          <DateInput max={todayYmd()} {...(min ? { min } : {})} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** Adds a member, or edits one (`member`). */
function MemberModal({ team, member, open, choices, onClose, onDone }: { team: WorkTeamDto; member: WorkTeamMemberDto | null; open: boolean; choices: TeamChoicesDto | null; onClose: () => void; onDone: (t: WorkTeamDto) => void }) {
  const { t, lang } = useI18n();
  const { message } = AntApp.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!open) return;
    form.resetFields();
    form.setFieldsValue(member ? { ...member, post: member.post ?? undefined, phone: undefined } : { fullTime: true, startDate: todayYmd() });
  }, [open, member, form]);
  const submit = async (v: MemberFormValues) => {
    setBusy(true);
    try {
      const body = cleanMember(v);
      let r: WorkTeamDto;
      if (member) {
        const { startDate: _s, ...rest } = body as typeof body & { startDate?: string };
        // The phone is sent only when typed again (lists show it masked).
        r = await patch<WorkTeamDto>(`/assistance/work-teams/${team.id}/members/${member.id}`, { version: team.version, ...rest, ...(v.phone?.trim() ? {} : { phone: undefined }) });
      } else r = await post<WorkTeamDto>(`/assistance/work-teams/${team.id}/members`, { version: team.version, ...body });
      message.success(t(T.saved));
      onDone(r);
    } catch (e) {
      if (!applyFieldErrors(form, e, lang)) message.error(errorText(e, lang));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={member ? `${t(T.editMember)} · ${member.name}` : t(T.addMember)} onCancel={onClose} onOk={() => form.submit()} okText={t(T.save)} confirmLoading={busy} width={720} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={submit}>
        <MemberFields prefix={[]} choices={choices} village={team.villageCode} withStart={!member} />
      </Form>
    </Modal>
  );
}

function RoleTags({ m }: { m: { isLeader: boolean; isFirstSecretary: boolean; fullTime: boolean } }) {
  const { t } = useI18n();
  return (
    <>
      {m.isLeader && <Tag color="blue">{t(T.leader)}</Tag>}
      {m.isFirstSecretary && <Tag color="red">{t(T.secretary)}</Tag>}
      <Tag>{m.fullTime ? t(T.fullTime) : t(T.partTime)}</Tag>
    </>
  );
}

/** A team: facts, members (cards: readable on a phone), past teams and the actions the user may take. */
function TeamDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [team, setTeam] = useState<WorkTeamDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [dialog, setDialog] = useState<null | { kind: 'add' } | { kind: 'edit' | 'leave'; member: WorkTeamMemberDto } | { kind: 'end' } | { kind: 'replace' }>(null);
  const choices = useChoices(team?.villageCode ?? null);
  const load = useCallback(() => {
    setError(null);
    get<WorkTeamDto>(`/assistance/work-teams/${id}`).then(setTeam, setError);
  }, [id]);
  useEffect(load, [load]);
  if (error) return <LoadError error={error} onRetry={load} />;
  if (!team) return <Card loading />;
  const may = can(ASSISTANCE['assistance.teams']) && team.current;
  const done = (r: WorkTeamDto) => {
    setDialog(null);
    setTeam(r);
    onChanged();
  };
  return (
    <Flex vertical gap={12}>
      <Descriptions size="small" column={{ xs: 1, sm: 2 }} bordered>
        <Descriptions.Item label={t(T.village)}>
          {team.townshipName} {team.villageName} {!team.poorThisYear && <Tag>{t(T.notPoor)}</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label={t(T.unit)}>{team.sendingUnitName}</Descriptions.Item>
        <Descriptions.Item label={t(T.start)}>{team.startDate}</Descriptions.Item>
        <Descriptions.Item label={t(T.status)}>{team.current ? <Tag color="green">{t(T.current)}</Tag> : <Tag>{`${t(T.ended)} ${team.endDate}`}</Tag>}</Descriptions.Item>
        {team.note && <Descriptions.Item label={t(T.note)}>{team.note}</Descriptions.Item>}
      </Descriptions>
      {may && (
        <Flex gap={8} wrap>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDialog({ kind: 'add' })}>
            {t(T.addMember)}
          </Button>
          <Button onClick={() => setDialog({ kind: 'replace' })}>{t(T.replace)}</Button>
          <Button danger onClick={() => setDialog({ kind: 'end' })}>
            {t(T.endTeam)}
          </Button>
        </Flex>
      )}
      <List
        header={<Typography.Text strong>{`${t(T.members)}（${team.memberCount}）`}</Typography.Text>}
        dataSource={team.members}
        renderItem={(m) => (
          <List.Item
            style={{ opacity: m.current ? 1 : 0.6 }}
            actions={
              may && m.current
                ? [
                    <Button key="e" size="small" onClick={() => setDialog({ kind: 'edit', member: m })}>
                      {t(T.editMember)}
                    </Button>,
                    <Button key="l" size="small" danger onClick={() => setDialog({ kind: 'leave', member: m })}>
                      {t(T.endMember)}
                    </Button>,
                  ]
                : []
            }
          >
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  <span>{m.name}</span>
                  <RoleTags m={m} />
                </Space>
              }
              description={
                <Typography.Text type="secondary">
                  {[m.post, m.unitName, m.phone, `${m.startDate} – ${m.endDate ?? ''}`, m.userName ? `${t(T.account)}：${m.userName}` : null].filter(Boolean).join(' · ')}
                </Typography.Text>
              }
            />
          </List.Item>
        )}
      />
      {team.history.length > 0 && (
        <List
          size="small"
          header={<Typography.Text strong>{t(T.history)}</Typography.Text>}
          dataSource={team.history}
          renderItem={(h) => (
            <List.Item>
              <Typography.Text>
                {h.startDate} – {h.endDate ?? t(T.current)} · {h.sendingUnitName} · {t(T.leader)} {h.leaderName ?? '—'} · {t(T.secretary)} {h.firstSecretaryName ?? '—'}
              </Typography.Text>
            </List.Item>
          )}
        />
      )}
      <MemberModal
        team={team}
        member={dialog?.kind === 'edit' ? dialog.member : null}
        open={dialog?.kind === 'add' || dialog?.kind === 'edit'}
        choices={choices}
        onClose={() => setDialog(null)}
        onDone={done}
      />
      <EndModal
        title={dialog?.kind === 'leave' ? `${t(T.endMember)} · ${dialog.member.name}` : ''}
        min={dialog?.kind === 'leave' ? dialog.member.startDate : undefined}
        open={dialog?.kind === 'leave'}
        onClose={() => setDialog(null)}
        onSubmit={async (endDate) => {
          if (dialog?.kind !== 'leave') return;
          done(await post<WorkTeamDto>(`/assistance/work-teams/${team.id}/members/${dialog.member.id}/end`, { version: team.version, endDate }));
        }}
      />
      <EndModal
        title={`${t(T.endTeam)} · ${team.villageName}`}
        hint={t(T.endHint)}
        min={team.startDate}
        open={dialog?.kind === 'end'}
        onClose={() => setDialog(null)}
        onSubmit={async (endDate) => done(await post<WorkTeamDto>(`/assistance/work-teams/${team.id}/end`, { version: team.version, endDate }))}
      />
      <TeamFormModal open={dialog?.kind === 'replace'} village={team.villageCode} replacing={team} choices={choices} onClose={() => setDialog(null)} onDone={(r) => (setDialog(null), onChanged(), setTeam(r))} />
    </Flex>
  );
}

export function WorkTeamsPage() {
  const { t } = useI18n();
  const { scope, can } = useSession();
  const { user } = useSignedIn();
  const [areaCode, setAreaCode] = useState<string | null>(scope?.code ?? user.areaCode ?? null);
  const [year, setYear] = useState(thisYear());
  const [status, setStatus] = useState<'current' | 'ended' | 'all'>('current');
  const [noTeam, setNoTeam] = useState<VillagesWithoutTeamDto | null>(null);
  const [teams, setTeams] = useState<WorkTeamPageDto | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [sendTo, setSendTo] = useState<string | null | undefined>(undefined);
  const [tick, setTick] = useState(0);
  const { page, pageSize, resetPage, pagination } = useServerPaging((n) => t(T.total, { n }));
  const choices = useChoices(areaCode);
  const mayWrite = can(ASSISTANCE['assistance.teams']);
  const ownVillage = user.role === 'work_team_member' || user.role === 'village_clerk';

  useEffect(() => {
    if (scope?.code) setAreaCode(scope.code);
  }, [scope?.code]);
  useEffect(() => {
    let live = true;
    setError(null);
    Promise.all([
      get<VillagesWithoutTeamDto>('/assistance/villages-without-team', { areaCode, year, pageSize: 200 }),
      get<WorkTeamPageDto>('/assistance/work-teams', { areaCode, status, page, pageSize }),
    ]).then(
      ([n, p]) => {
        if (!live) return;
        setNoTeam(n);
        setTeams(p);
      },
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [areaCode, year, status, page, pageSize, tick]);
  const refresh = () => setTick((x) => x + 1);

  if (error) return <LoadError error={error} onRetry={refresh} />;

  const header = <PageHeader title={t(T.title)} subtitle={t(T.subtitle)} extra={mayWrite && <Button type="primary" icon={<PlusOutlined />} onClick={() => setSendTo(null)}>{t(T.send)}</Button>} />;

  // A work-team member or village clerk: the own village's team, readable on a phone.
  if (ownVillage) {
    const own = teams?.items.find((x) => x.current);
    return (
      <>
        {header}
        {noTeam && noTeam.withoutTeam > 0 && <Alert type="error" showIcon title={t(T.noOwnTeam)} style={{ marginBottom: 12 }} />}
        <Card title={t(T.ownTeam)} loading={!teams}>
          {own ? <TeamDetail id={own.id} onChanged={refresh} /> : <Empty description={t(T.noOwnTeam)} />}
        </Card>
      </>
    );
  }

  const columns = [
    { title: t(T.village), key: 'village', render: (_: unknown, r: WorkTeamSummaryDto) => <a onClick={() => setOpenId(r.id)}>{`${r.townshipName} ${r.villageName}`}</a> },
    { title: t(T.unit), dataIndex: 'sendingUnitName', key: 'unit' },
    { title: t(T.leader), dataIndex: 'leaderName', key: 'leader', render: (v: string | null) => v ?? <Tag color="orange">—</Tag> },
    { title: t(T.secretary), dataIndex: 'firstSecretaryName', key: 'secretary', render: (v: string | null) => v ?? <Tag color="orange">—</Tag> },
    { title: t(T.members), key: 'members', align: 'right' as const, render: (_: unknown, r: WorkTeamSummaryDto) => `${r.memberCount}（${t(T.fullTime)} ${r.fullTimeCount}）` },
    { title: t(T.start), dataIndex: 'startDate', key: 'start', width: 110 },
    {
      title: t(T.status),
      key: 'status',
      render: (_: unknown, r: WorkTeamSummaryDto) => (
        <>
          {r.current ? <Tag color="green">{t(T.current)}</Tag> : <Tag>{`${t(T.ended)} ${r.endDate}`}</Tag>}
          {!r.poorThisYear && <Tag>{t(T.notPoor)}</Tag>}
        </>
      ),
    },
  ];

  return (
    <>
      {header}
      <Flex gap={12} wrap align="center" style={{ marginBottom: 12 }}>
        <span>{t(T.area)}</span>
        <div style={{ width: 260 }}>
          <AreaTreeSelect rootCode={user.areaCode} levels={['city', 'county', 'township', 'village']} value={areaCode} onChange={(c) => (setAreaCode(c), resetPage())} />
        </div>
        <span>{t(T.year)}</span>
        <InputNumber min={2013} max={thisYear()} value={year} onChange={(v) => v && setYear(v)} style={{ width: 100 }} />
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={9}>
          <Card
            title={
              <Space>
                {t(T.noTeam)}
                {noTeam && <Tag color={noTeam.withoutTeam > 0 ? 'red' : 'green'}>{t(T.noTeamCount, { n: noTeam.withoutTeam })}</Tag>}
              </Space>
            }
            extra={noTeam && <Typography.Text type="secondary">{t(T.ofPoor, { n: noTeam.poorVillages })}</Typography.Text>}
            loading={!noTeam}
          >
            {noTeam && noTeam.byTownship.length > 1 && (
              <Table
                size="small"
                rowKey="townshipCode"
                pagination={false}
                style={{ marginBottom: 12 }}
                dataSource={noTeam.byTownship}
                columns={[
                  { title: t(T.township), key: 't', render: (_: unknown, r) => <a onClick={() => setAreaCode(r.townshipCode)}>{r.townshipName}</a> },
                  { title: t(T.poorVillages), dataIndex: 'poorVillages', align: 'right' },
                  { title: t(T.withTeam), dataIndex: 'withTeam', align: 'right' },
                  { title: t(T.withoutTeam), dataIndex: 'withoutTeam', align: 'right', render: (n: number) => (n > 0 ? <Tag color="red">{n}</Tag> : 0) },
                ]}
              />
            )}
            {noTeam && noTeam.items.length === 0 ? (
              <Alert type="success" showIcon title={t(T.allCovered)} />
            ) : (
              <List
                size="small"
                dataSource={noTeam?.items ?? []}
                renderItem={(v) => (
                  <List.Item actions={mayWrite && year === thisYear() ? [<Button key="s" size="small" onClick={() => setSendTo(v.villageCode)}>{t(T.send)}</Button>] : []}>
                    <Space wrap size={4}>
                      <Tag color="red">{t(T.missing)}</Tag>
                      <span>{`${v.townshipName} ${v.villageName}`}</span>
                      {v.relative && <Tag>{t(T.relative)}</Tag>}
                      {v.lastTeamEndDate && <Typography.Text type="secondary">{t(T.lastLeft, { d: v.lastTeamEndDate })}</Typography.Text>}
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={15}>
          <Card
            title={t(T.teams)}
            extra={
              <Segmented
                value={status}
                onChange={(v) => (setStatus(v as typeof status), resetPage())}
                options={[
                  { value: 'current', label: t(T.current) },
                  { value: 'ended', label: t(T.ended) },
                  { value: 'all', label: t(T.all) },
                ]}
              />
            }
          >
            <Table rowKey="id" size="small" loading={!teams} dataSource={teams?.items ?? []} columns={columns} pagination={pagination(teams?.total ?? 0)} scroll={{ x: 760 }} onRow={(r) => ({ onDoubleClick: () => setOpenId(r.id) })} />
          </Card>
        </Col>
      </Row>
      <Drawer open={!!openId} onClose={() => setOpenId(null)} size="large" title={t(T.title)} destroyOnHidden>
        {openId && <TeamDetail id={openId} onChanged={refresh} />}
      </Drawer>
      <TeamFormModal
        open={sendTo !== undefined}
        village={sendTo ?? null}
        replacing={null}
        choices={choices}
        onClose={() => setSendTo(undefined)}
        onDone={(r) => {
          setSendTo(undefined);
          refresh();
          setOpenId(r.id);
        }}
      />
    </>
  );
}
