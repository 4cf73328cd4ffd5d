import { describe, expect, it } from 'vitest';
import { checkCharacter } from '../../shared/id-number.ts';
import { findingsOf, idNumberProblem, QUALITY_CHECK_CODES, QUALITY_CHECKS, type HouseholdFacts, type MemberFacts } from './quality-rules.ts';

const first17 = '43018119700312901';
const GOOD = first17 + checkCharacter(first17);
const WRONG = first17 + (GOOD[17] === '0' ? '1' : '0');

describe('the catalogue', () => {
  it('has one entry per code, each with both languages, a severity and a source', () => {
    expect(QUALITY_CHECKS.map((c) => c.code)).toEqual([...QUALITY_CHECK_CODES]);
    for (const c of QUALITY_CHECKS) {
      expect(c.label.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.explanation.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(c.label.en.length).toBeGreaterThan(0);
      expect(c.explanation.en.length).toBeGreaterThan(0);
      expect(['error', 'warning']).toContain(c.severity);
      expect(c.source.length).toBeGreaterThan(0);
    }
  });
});

describe('idNumberProblem', () => {
  it.each([
    ['residentId', GOOD, '1970-03-12', null],
    ['residentId', WRONG, '1970-03-12', 'checkDigit'],
    ['residentId', GOOD, '1970-03-13', 'birthDateMismatch'],
    ['residentId', '', '1970-03-12', 'empty'],
    ['residentId', '  ', '1970-03-12', 'empty'],
    ['residentId', '000000000000000000', '1970-03-12', 'placeholder'],
    ['residentId', '430181********9012', '1970-03-12', 'placeholder'],
    ['residentId', '不详', '1970-03-12', 'placeholder'],
    ['residentId', GOOD.slice(0, 15), '1970-03-12', 'format'],
    ['disabilityCertificate', `${GOOD}42`, '1970-03-12', null],
    ['disabilityCertificate', `${GOOD}92`, '1970-03-12', 'format'],
    ['disabilityCertificate', `${WRONG}42`, '1970-03-12', 'checkDigit'],
    ['officerId', '军字第 12345 号', '1970-03-12', null],
    ['officerId', '', '1970-03-12', 'empty'],
  ] as const)('%s %j (%s) → %s', (idType, idNumber, birthDate, expected) => {
    expect(idNumberProblem(idType, idNumber, birthDate)).toBe(expected);
  });
});

describe('findingsOf', () => {
  const facts: HouseholdFacts = {
    hasHead: true,
    mainPovertyCause: 'lackOfLabour',
    incomeYear: 2025,
    wageIncome: 8000,
    transferIncome: 0,
    perCapitaNetIncome: 6000,
    line: 5105,
    wageWithoutWork: false,
    noTransferWithAllowance: true,
    aboveLine: true,
    ableWorkingAge: 2,
    memberCount: 3,
  };
  const m = (x: Partial<MemberFacts>): MemberFacts => ({
    householdId: 'h',
    name: '张三',
    isHead: false,
    idProblem: null,
    maskedIdNumber: '430181********901X',
    birthDate: '1970-03-12',
    sameIdOther: null,
    sameNameOther: null,
    disabilityInfoMissing: false,
    ...x,
  });

  it('names a household without a head, and the head’s number problem', () => {
    expect(findingsOf('headIdMissing', { ...facts, hasHead: false }, []).map((f) => f.reason)).toEqual(['noHead']);
    const [f] = findingsOf('headIdMissing', facts, [m({ isHead: true, idProblem: 'empty', maskedIdNumber: '' })]);
    expect(f).toEqual({ reason: 'empty', memberName: '张三', field: 'idNumber', text: { zh: '户主 张三（无号码）：证件号码为空', en: 'Head 张三 (no number): the ID number is empty' } });
  });

  it('names only members other than the head for memberIdMissing', () => {
    const ms = [m({ isHead: true, idProblem: 'checkDigit' }), m({ name: '李四', idProblem: 'birthDateMismatch' })];
    expect(findingsOf('memberIdMissing', facts, ms)).toEqual([expect.objectContaining({ memberName: '李四', field: 'birthDate', reason: 'birthDateMismatch' })]);
  });

  it('names the other household, or says it lies outside the area', () => {
    expect(findingsOf('duplicateIdNumber', facts, [m({ sameIdOther: '4301811252010001' })])[0]!.text.zh).toBe('张三（430181********901X）的证件号码也登记在 4301811252010001');
    expect(findingsOf('possibleDuplicatePerson', facts, [m({ sameNameOther: '' })])[0]!.text.en).toBe('张三 (1970-03-12) has the name and birth date of a member of a household outside your area');
  });

  it('gives one finding per income inconsistency, with yuan to the fen', () => {
    const fs = findingsOf('incomeInconsistent', facts, []);
    expect(fs.map((f) => f.reason)).toEqual(['noTransferWithAllowance', 'aboveLine']);
    expect(fs[1]!.text.zh).toBe('未脱贫，但 2025 年人均纯收入 6,000.00 元高于识别标准 5,105.00 元');
  });

  it('explains the cause inconsistency by the main cause', () => {
    expect(findingsOf('causeInconsistent', facts, [])[0]!.text.zh).toBe('主要致贫原因为缺劳动力，但 3 名成员中有 2 名 16–59 岁的劳动力');
    expect(findingsOf('causeInconsistent', { ...facts, mainPovertyCause: 'illness' }, [])[0]!.reason).toBe('illnessWithoutIllMember');
  });
});
