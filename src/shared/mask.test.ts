import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskPhone } from './mask.ts';

describe('maskPhone', () => {
  it('shows the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13800001234')).toBe('138****1234');
    expect(maskPhone(' 13912345678 ')).toBe('139****5678');
  });

  it('keeps at most the first and last two characters of a shorter number', () => {
    expect(maskPhone('0731-8321234')).toBe('073****1234');
    expect(maskPhone('8321234')).toBe('83***34');
    expect(maskPhone('12345')).toBe('12*45');
  });

  it('hides a very short value entirely', () => {
    expect(maskPhone('1234')).toBe('****');
    expect(maskPhone('12')).toBe('**');
  });

  it('passes empty values through as null', () => {
    expect(maskPhone(null)).toBeNull();
    expect(maskPhone(undefined)).toBeNull();
    expect(maskPhone('')).toBe('');
  });

  it('never returns the digits that were hidden', () => {
    const masked = maskPhone('13855556666')!;
    expect(masked).not.toContain('5555');
    expect(masked).toHaveLength(11);
  });
});

describe('maskIdNumber', () => {
  it('keeps the region (first six) and last four characters of an 18-character ID number', () => {
    expect(maskIdNumber('43018119900101123X')).toBe('430181********123X');
    expect(maskIdNumber('43018119900101123X')).not.toContain('19900101');
  });

  it('masks a 15-digit ID number the same way', () => {
    expect(maskIdNumber('430181900101123')).toBe('430181*****1123');
  });

  it('hides a value too short to keep anything', () => {
    expect(maskIdNumber('123456789')).toBe('*********');
  });

  it('passes empty values through', () => {
    expect(maskIdNumber(null)).toBeNull();
    expect(maskIdNumber(undefined)).toBeNull();
  });
});
