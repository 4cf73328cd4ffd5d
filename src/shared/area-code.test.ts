import { describe, expect, it } from 'vitest';
import { ancestorCodesOf, isAreaCode12, isWithinScope, levelOfCode, parentCodeOf, scopePrefix, toAreaCode12 } from './area-code.ts';

// Real codes of 湖南省 长沙市 浏阳市 (NBS 2023).
const HUNAN = '430000000000';
const CHANGSHA = '430100000000';
const LIUYANG = '430181000000';
const NINGXIANG = '430182000000';
const HUAICHUAN = '430181001000'; // 淮川街道
const DAWEISHAN = '430181125000'; // 大围山镇
const ZHONGYUE = '430181125201'; // 大围山镇 中岳村
const CHENGXI = '430181001001'; // 淮川街道 城西社区

describe('isAreaCode12', () => {
  it('accepts exactly twelve digits', () => {
    expect(isAreaCode12(ZHONGYUE)).toBe(true);
    expect(isAreaCode12('43018112520')).toBe(false);
    expect(isAreaCode12('4301811252011')).toBe(false);
    expect(isAreaCode12('43018112520a')).toBe(false);
    expect(isAreaCode12(' 43018112520')).toBe(false);
  });
});

describe('toAreaCode12', () => {
  it('pads natural-length codes of each level to twelve digits', () => {
    expect(toAreaCode12('43')).toBe(HUNAN);
    expect(toAreaCode12('4301')).toBe(CHANGSHA);
    expect(toAreaCode12('430181')).toBe(LIUYANG);
    expect(toAreaCode12('430181125')).toBe(DAWEISHAN);
    expect(toAreaCode12('430181125201')).toBe(ZHONGYUE);
    expect(toAreaCode12(' 430181 ')).toBe(LIUYANG);
  });

  it('refuses lengths that are no level, and non-digits', () => {
    for (const bad of ['', '4', '430', '43018', '4301811', '43018112', '4301811252', '43018112520', '4301811252011', '43a181', '-43018']) {
      expect(toAreaCode12(bad), bad).toBeNull();
    }
  });
});

describe('levelOfCode', () => {
  it('reads the level from where the trailing zeros start', () => {
    expect(levelOfCode(HUNAN)).toBe('province');
    expect(levelOfCode(CHANGSHA)).toBe('city');
    expect(levelOfCode(LIUYANG)).toBe('county');
    expect(levelOfCode(HUAICHUAN)).toBe('township');
    expect(levelOfCode(DAWEISHAN)).toBe('township');
    expect(levelOfCode(ZHONGYUE)).toBe('village');
    expect(levelOfCode(CHENGXI)).toBe('village');
  });

  it('treats a village number with a zero in it (…100, …010) as a village', () => {
    expect(levelOfCode('430181125100')).toBe('village');
    expect(levelOfCode('430181125010')).toBe('village');
    expect(levelOfCode('430181100000')).toBe('township');
  });
});

describe('scopePrefix', () => {
  it('keeps the significant digits of each level', () => {
    expect(scopePrefix(HUNAN)).toBe('43');
    expect(scopePrefix(CHANGSHA)).toBe('4301');
    expect(scopePrefix(LIUYANG)).toBe('430181');
    expect(scopePrefix(DAWEISHAN)).toBe('430181125');
    expect(scopePrefix(ZHONGYUE)).toBe(ZHONGYUE);
  });
});

describe('parentCodeOf and ancestorCodesOf', () => {
  it('walks up one level at a time', () => {
    expect(parentCodeOf(ZHONGYUE)).toBe(DAWEISHAN);
    expect(parentCodeOf(DAWEISHAN)).toBe(LIUYANG);
    expect(parentCodeOf(LIUYANG)).toBe(CHANGSHA);
    expect(parentCodeOf(CHANGSHA)).toBe(HUNAN);
    expect(parentCodeOf(HUNAN)).toBeNull();
  });

  it('lists all ancestors, province first, without the code itself', () => {
    expect(ancestorCodesOf(ZHONGYUE)).toEqual([HUNAN, CHANGSHA, LIUYANG, DAWEISHAN]);
    expect(ancestorCodesOf(LIUYANG)).toEqual([HUNAN, CHANGSHA]);
    expect(ancestorCodesOf(HUNAN)).toEqual([]);
  });
});

describe('isWithinScope', () => {
  it('a null scope (the whole country) contains everything', () => {
    expect(isWithinScope(null, ZHONGYUE)).toBe(true);
    expect(isWithinScope(null, '110000000000')).toBe(true);
  });

  it('contains the area itself and everything below it', () => {
    expect(isWithinScope(LIUYANG, LIUYANG)).toBe(true);
    expect(isWithinScope(LIUYANG, DAWEISHAN)).toBe(true);
    expect(isWithinScope(LIUYANG, ZHONGYUE)).toBe(true);
    expect(isWithinScope(DAWEISHAN, ZHONGYUE)).toBe(true);
    expect(isWithinScope(ZHONGYUE, ZHONGYUE)).toBe(true);
  });

  it('does not contain parents, siblings or their children', () => {
    expect(isWithinScope(DAWEISHAN, LIUYANG)).toBe(false);
    expect(isWithinScope(DAWEISHAN, HUAICHUAN)).toBe(false);
    expect(isWithinScope(DAWEISHAN, CHENGXI)).toBe(false);
    expect(isWithinScope(ZHONGYUE, DAWEISHAN)).toBe(false);
  });

  it('compares by the level prefix, not by the shared leading digits: 浏阳市 does not contain 宁乡市', () => {
    // 430181 and 430182 share "43018"; a prefix that dropped the county's last digit would leak.
    expect(isWithinScope(LIUYANG, NINGXIANG)).toBe(false);
    expect(isWithinScope(LIUYANG, '430182101201')).toBe(false);
    expect(isWithinScope(NINGXIANG, ZHONGYUE)).toBe(false);
    // A township 430181125 does not contain township 430181012 nor a village whose code merely starts alike.
    expect(isWithinScope('430181012000', '430181125201')).toBe(false);
    expect(isWithinScope(CHANGSHA, '430200000000')).toBe(false);
  });
});
