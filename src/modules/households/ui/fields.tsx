/**
 * Form sections shared by the registration form, the edit form and the member dialogs: the
 * household's own fields and one member's fields, with instant ID-number checks (the same
 * validateIdNumber the server runs) that fill birth date and sex and warn when they disagree.
 */
import { useRef } from 'react';
import { Checkbox, Col, Form, Input, InputNumber, Row, Select, Typography } from 'antd';
import type { FormInstance } from 'antd';
import { validateIdNumber } from '../../../shared/id-number.ts';
import { defineMessages, useI18n } from '../../../client/i18n.tsx';
import { codeOptions, HF, MF } from './common.tsx';

const T = defineMessages({
  groupExample: { zh: '一组', en: 'e.g. 一组' },
  required: { zh: '请填写{field}', en: 'Enter the {field}' },
  requiredSelect: { zh: '请选择{field}', en: 'Choose the {field}' },
  othersMax: { zh: '其他致贫原因最多两项', en: 'At most two other causes' },
  othersSame: { zh: '其他致贫原因不能与主要致贫原因相同', en: 'Other causes must differ from the main cause' },
  idOk: { zh: '号码有效：{birth} 出生，{sex}', en: 'Valid: born {birth}, {sex}' },
  idConverted: { zh: '（15 位旧号码已转换为 {id}）', en: ' (15-digit number converted to {id})' },
  sexMismatch: { zh: '与证件号码不符：号码显示为{sex}', en: 'Does not match the ID number, which says {sex}' },
  birthMismatch: { zh: '与证件号码不符：号码显示出生于 {birth}', en: 'Does not match the ID number, which says {birth}' },
  male: { zh: '男', en: 'male' },
  female: { zh: '女', en: 'female' },
  date: { zh: 'YYYY-MM-DD', en: 'YYYY-MM-DD' },
  dateFormat: { zh: '日期格式应为 YYYY-MM-DD', en: 'Dates are YYYY-MM-DD' },
  months: { zh: '0–12 个月', en: '0–12 months' },
  phoneFormat: { zh: '应为 11 位手机号或带区号的固定电话', en: 'An 11-digit mobile or a landline with area code' },
  bankFormat: { zh: '银行账号应为 8–30 位数字', en: '8–30 digits' },
  yes: { zh: '是', en: 'Yes' },
  no: { zh: '否', en: 'No' },
  unknown: { zh: '未填', en: 'Not given' },
  officerNoCheck: { zh: '军官证号码无法校验，请仔细核对', en: "Officer's card numbers cannot be checked; compare carefully" },
});

const PHONE = /^(1\d{10}|0\d{2,3}-?\d{7,8})$/;
const THIS_YEAR = new Date().getFullYear();

/** The household's own fields; `village` is the village field (a picker or the fixed village). */
export function HouseholdFields({ form, village, prefix = [] }: { form: FormInstance; village?: React.ReactNode; prefix?: string[] }) {
  const { t, lang } = useI18n();
  const n = (f: string) => [...prefix, f];
  const main = Form.useWatch(n('mainPovertyCause'), form) as string | undefined;
  const type = Form.useWatch(n('householdType'), form) as string | undefined;
  const relocated = Form.useWatch(n('relocated'), form) as boolean | undefined;
  const causeRequired = type !== 'ordinary' && type !== 'marginal';
  const triState = [
    { value: true, label: t(T.yes) },
    { value: false, label: t(T.no) },
  ];
  const req = (m: { zh: string; en: string }, select = true) => ({ required: true, message: t(select ? T.requiredSelect : T.required, { field: m[lang] }) });
  return (
    <Row gutter={16}>
      {village && <Col span={12}>{village}</Col>}
      <Col span={6}>
        <Form.Item name={n('groupName')} label={t(HF.groupName)} rules={[{ max: 50 }]}>
          <Input placeholder={t(T.groupExample)} maxLength={50} />
        </Form.Item>
      </Col>
      <Col span={village ? 6 : 12}>
        <Form.Item name={n('address')} label={t(HF.address)} rules={[{ max: 200 }]}>
          <Input maxLength={200} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('householdType')} label={t(HF.householdType)} rules={[req(HF.householdType)]}>
          <Select options={codeOptions('householdType', lang)} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('status')} label={t(HF.status)} rules={[req(HF.status)]}>
          <Select options={codeOptions('householdStatus', lang)} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('povertyAttribute')} label={t(HF.povertyAttribute)}>
          <Select allowClear options={codeOptions('povertyAttribute', lang)} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('identificationStandard')} label={t(HF.identificationStandard)}>
          <Select allowClear options={codeOptions('identificationStandard', lang)} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('mainPovertyCause')} label={t(HF.mainPovertyCause)} rules={causeRequired ? [req(HF.mainPovertyCause)] : []}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={codeOptions('povertyCause', lang)} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item
          name={n('otherPovertyCauses')}
          label={t(HF.otherPovertyCauses)}
          dependencies={[n('mainPovertyCause')]}
          rules={[
            { type: 'array', max: 2, message: t(T.othersMax) },
            { validator: (_, v: string[] | undefined) => (main && v?.includes(main) ? Promise.reject(new Error(t(T.othersSame))) : Promise.resolve()) },
          ]}
        >
          <Select mode="multiple" maxCount={2} allowClear options={codeOptions('povertyCause', lang).filter((o) => o.value !== main)} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('identificationYear')} label={t(HF.identificationYear)}>
          <InputNumber min={2000} max={THIS_YEAR + 1} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('phone')} label={t(HF.phone)} rules={[{ pattern: PHONE, message: t(T.phoneFormat) }]}>
          <Input maxLength={13} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('bankName')} label={t(HF.bankName)} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('bankAccount')} label={t(HF.bankAccount)} rules={[{ pattern: /^\d{8,30}$/, message: t(T.bankFormat) }]}>
          <Input maxLength={30} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('housingArea')} label={t(HF.housingArea)}>
          <InputNumber min={0} max={10000} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('housingStructure')} label={t(HF.housingStructure)}>
          <Select allowClear options={codeOptions('housingStructure', lang)} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('housingDangerGrade')} label={t(HF.housingDangerGrade)}>
          <Select allowClear options={['A', 'B', 'C', 'D'].map((g) => ({ value: g, label: g }))} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('cultivatedLand')} label={t(HF.cultivatedLand)}>
          <InputNumber min={0} max={100000} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('forestLand')} label={t(HF.forestLand)}>
          <InputNumber min={0} max={1000000} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('safeDrinkingWater')} label={t(HF.safeDrinkingWater)}>
          <Select allowClear placeholder={t(T.unknown)} options={triState} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('drinkingWaterDifficulty')} label={t(HF.drinkingWaterDifficulty)}>
          <Select allowClear placeholder={t(T.unknown)} options={triState} />
        </Form.Item>
      </Col>
      <Col span={6}>
        <Form.Item name={n('relocationType')} label={t(HF.relocationType)}>
          <Select allowClear disabled={!relocated} options={codeOptions('relocationSettlement', lang)} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item label={null} style={{ marginBottom: 8 }}>
          {(['housingRenovated', 'relocated', 'reservoirMigrant', 'militaryFamily'] as const).map((f) => (
            <Form.Item key={f} name={n(f)} valuePropName="checked" noStyle>
              <Checkbox style={{ marginRight: 16 }}>{t(HF[f])}</Checkbox>
            </Form.Item>
          ))}
        </Form.Item>
      </Col>
    </Row>
  );
}

/** What a valid ID number says, for the hint under the field. */
function IdHint({ form, abs }: { form: FormInstance; abs: (string | number)[] }) {
  const { t } = useI18n();
  const id = Form.useWatch([...abs, 'idNumber'], form) as string | undefined;
  const idType = Form.useWatch([...abs, 'idType'], form) as string | undefined;
  if (!id) return null;
  if (idType === 'officerId') return <Typography.Text type="warning">{t(T.officerNoCheck)}</Typography.Text>;
  const r = validateIdNumber(id, { allowDisabilityCert: idType === 'disabilityCertificate' });
  if (!r.ok) return null;
  return (
    <Typography.Text type="success" data-testid="id-ok">
      {t(T.idOk, { birth: r.birthDate, sex: t(r.sex === 'male' ? T.male : T.female) })}
      {r.convertedFrom15 ? t(T.idConverted, { id: r.idNumber }) : ''}
    </Typography.Text>
  );
}

/**
 * One member's fields.
 * @param rel the names' prefix inside the enclosing Form.List (or the form), e.g. [2] or ['member']
 * @param abs the absolute prefix in the form, e.g. ['members', 2] or ['member']
 */
export function MemberFields({ form, rel, abs, idPlaceholder }: { form: FormInstance; rel: (string | number)[]; abs: (string | number)[]; idPlaceholder?: string }) {
  const { t, lang } = useI18n();
  const auto = useRef<{ birthDate?: string; sex?: string }>({});
  const health = Form.useWatch([...abs, 'health'], form) as string | undefined;
  const idType = Form.useWatch([...abs, 'idType'], form) as string | undefined;
  const alive = Form.useWatch([...abs, 'alive'], form) as boolean | undefined;
  const r = (f: string) => [...rel, f];
  const a = (f: string) => [...abs, f];
  const idResult = (v: string | undefined) => validateIdNumber(v ?? '', { allowDisabilityCert: form.getFieldValue(a('idType')) === 'disabilityCertificate' });
  const msg = (x: { message: string; messageEn: string }) => (lang === 'en' ? x.messageEn : x.message);
  const req = (m: { zh: string; en: string }, select = true) => ({ required: true, message: t(select ? T.requiredSelect : T.required, { field: m[lang] }) });

  /** Fills birth date and sex from a valid number, unless the clerk typed something else there. */
  const onIdChange = (v: string) => {
    if (form.getFieldValue(a('idType')) === 'officerId') return;
    const res = idResult(v);
    if (!res.ok) return;
    const sex = res.sex;
    const cur = { birthDate: form.getFieldValue(a('birthDate')) as string | undefined, sex: form.getFieldValue(a('sex')) as string | undefined };
    if (!cur.birthDate || cur.birthDate === auto.current.birthDate) form.setFieldValue(a('birthDate'), res.birthDate);
    if (!cur.sex || cur.sex === auto.current.sex) form.setFieldValue(a('sex'), sex);
    auto.current = { birthDate: res.birthDate, sex };
    void form.validateFields([a('birthDate'), a('sex')]).catch(() => {});
  };

  const span = 6;
  return (
    <Row gutter={12}>
      <Col span={span}>
        <Form.Item name={r('name')} label={t(MF.name)} rules={[req(MF.name, false), { max: 50 }]}>
          <Input maxLength={50} autoComplete="off" />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('idType')} label={t(MF.idType)} rules={[req(MF.idType)]}>
          <Select options={codeOptions('idType', lang)} onChange={() => void form.validateFields([a('idNumber')]).catch(() => {})} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item
          name={r('idNumber')}
          label={t(MF.idNumber)}
          required
          validateTrigger={['onChange', 'onBlur']}
          extra={<IdHint form={form} abs={abs} />}
          rules={[
            {
              validator: (_, v: string | undefined) => {
                if (form.getFieldValue(a('idType')) === 'officerId') return v ? Promise.resolve() : Promise.reject(new Error(t(T.required, { field: MF.idNumber[lang] })));
                if (v && v.includes('*')) return Promise.resolve(); // a masked stored number, left as it is
                const res = idResult(v);
                return res.ok ? Promise.resolve() : Promise.reject(new Error(msg(res)));
              },
            },
          ]}
        >
          <Input maxLength={40} autoComplete="off" placeholder={idPlaceholder} onChange={(e) => onIdChange(e.target.value)} style={{ fontFamily: 'Consolas, "Courier New", monospace', letterSpacing: 0.5 }} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('relationToHead')} label={t(MF.relationToHead)} rules={[req(MF.relationToHead)]}>
          <Select showSearch={{ optionFilterProp: 'label' }} options={codeOptions('relationToHead', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item
          name={r('sex')}
          label={t(MF.sex)}
          dependencies={[a('idNumber')]}
          rules={[
            req(MF.sex),
            {
              warningOnly: true,
              validator: (_, v: string | undefined) => {
                const res = idResult(form.getFieldValue(a('idNumber')) as string | undefined);
                if (!v || !res.ok || form.getFieldValue(a('idType')) === 'officerId' || v === res.sex) return Promise.resolve();
                return Promise.reject(new Error(t(T.sexMismatch, { sex: t(res.sex === 'male' ? T.male : T.female) })));
              },
            },
          ]}
        >
          <Select options={codeOptions('sex', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item
          name={r('birthDate')}
          label={t(MF.birthDate)}
          dependencies={[a('idNumber')]}
          rules={[
            { pattern: /^\d{4}-\d{2}-\d{2}$/, message: t(T.dateFormat) },
            {
              warningOnly: true,
              validator: (_, v: string | undefined) => {
                const res = idResult(form.getFieldValue(a('idNumber')) as string | undefined);
                if (!v || !res.ok || form.getFieldValue(a('idType')) === 'officerId' || v === res.birthDate) return Promise.resolve();
                return Promise.reject(new Error(t(T.birthMismatch, { birth: res.birthDate })));
              },
            },
          ]}
        >
          <Input placeholder={t(T.date)} maxLength={10} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('ethnicity')} label={t(MF.ethnicity)}>
          <Select allowClear showSearch={{ optionFilterProp: 'label' }} options={codeOptions('ethnicity', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('education')} label={t(MF.education)}>
          <Select allowClear options={codeOptions('education', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('schooling')} label={t(MF.schooling)}>
          <Select allowClear options={codeOptions('schooling', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('health')} label={t(MF.health)}>
          <Select allowClear options={codeOptions('health', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('labourAbility')} label={t(MF.labourAbility)}>
          <Select allowClear options={codeOptions('labourAbility', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('employment')} label={t(MF.employment)}>
          <Select allowClear options={codeOptions('employment', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('monthsWorked')} label={t(MF.monthsWorked)} rules={[{ type: 'number', min: 0, max: 12, message: t(T.months) }]}>
          <InputNumber min={0} max={12} precision={0} style={{ width: '100%' }} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('politicalStatus')} label={t(MF.politicalStatus)}>
          <Select allowClear options={codeOptions('politicalStatus', lang)} />
        </Form.Item>
      </Col>
      <Col span={span}>
        <Form.Item name={r('phone')} label={t(MF.phone)} rules={[{ pattern: PHONE, message: t(T.phoneFormat) }]}>
          <Input maxLength={13} />
        </Form.Item>
      </Col>
      {(health === 'chronicIllness' || health === 'seriousIllness') && (
        <Col span={span}>
          <Form.Item name={r('diseaseName')} label={t(MF.diseaseName)} rules={[{ max: 100 }]}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      )}
      {(health === 'disabled' || idType === 'disabilityCertificate') && (
        <>
          <Col span={span}>
            <Form.Item name={r('disabilityCategory')} label={t(MF.disabilityCategory)}>
              <Select allowClear options={codeOptions('disabilityCategory', lang)} />
            </Form.Item>
          </Col>
          <Col span={span}>
            <Form.Item name={r('disabilityGrade')} label={t(MF.disabilityGrade)}>
              <Select allowClear options={codeOptions('disabilityGrade', lang)} />
            </Form.Item>
          </Col>
        </>
      )}
      {alive === false && (
        <Col span={span}>
          <Form.Item name={r('deceasedDate')} label={t(MF.deceasedDate)} rules={[{ pattern: /^\d{4}-\d{2}-\d{2}$/, message: t(T.dateFormat) }]}>
            <Input placeholder={t(T.date)} maxLength={10} />
          </Form.Item>
        </Col>
      )}
      <Col span={24}>
        <Form.Item label={null} style={{ marginBottom: 4 }}>
          {(['medicalInsurance', 'seriousIllnessInsurance', 'pensionInsurance', 'minimumLiving', 'extremeHardship', 'activeMilitary', 'alive'] as const).map((f) => (
            <Form.Item key={f} name={r(f)} valuePropName="checked" noStyle>
              <Checkbox style={{ marginRight: 12 }}>{t(MF[f])}</Checkbox>
            </Form.Item>
          ))}
        </Form.Item>
      </Col>
    </Row>
  );
}

/** A new member's starting values. */
export function blankMember(relationToHead?: string) {
  return {
    idType: 'residentId',
    relationToHead,
    ethnicity: 'han',
    medicalInsurance: true,
    seriousIllnessInsurance: true,
    pensionInsurance: false,
    minimumLiving: false,
    extremeHardship: false,
    activeMilitary: false,
    alive: true,
  };
}

/** Cleans a member's form values for the API: empty strings become null, birth date omitted when empty. */
export function memberBody(m: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(m)) out[k] = v === '' || v === undefined ? null : v;
  if (!out.birthDate) delete out.birthDate;
  for (const k of ['medicalInsurance', 'seriousIllnessInsurance', 'pensionInsurance', 'minimumLiving', 'extremeHardship', 'activeMilitary']) out[k] = Boolean(out[k]);
  out.alive = out.alive !== false;
  return out;
}

/** Cleans household fields for the API: empty strings become null. */
export function householdBody(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = x === '' || x === undefined ? null : x;
  out.otherPovertyCauses = (v.otherPovertyCauses as string[] | undefined) ?? [];
  for (const k of ['housingRenovated', 'relocated', 'reservoirMigrant', 'militaryFamily']) out[k] = Boolean(v[k]);
  return out;
}
