/**
 * A date field that shows and returns dates as YYYY-MM-DD strings, whatever the browser's locale
 * (a native `<input type="date">` shows e.g. 10/31/2026 in an English browser). Wraps antd's
 * `DatePicker`; controlled, so it works inside a `Form.Item` unchanged: the form keeps the
 * 'YYYY-MM-DD' string (never a dayjs object) and an emptied field gives `undefined`.
 * The date can be picked from the calendar or typed (e.g. "2026-10-31", then Enter or leaving the field).
 * `min` / `max` ('YYYY-MM-DD', inclusive) disable the days outside the range, in the calendar and
 * when typed.
 */
import { useMemo } from 'react';
import { DatePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';

export const DATE_FORMAT = 'YYYY-MM-DD';

const YMD = /^\d{4}-\d{2}-\d{2}$/;

export interface DateInputProps {
  /** The date as 'YYYY-MM-DD'; empty when undefined, null or not a valid date. */
  value?: string | null;
  /** Called with the chosen date as 'YYYY-MM-DD', or undefined when the field is cleared. */
  onChange?: (value: string | undefined) => void;
  /** The earliest date that may be chosen, 'YYYY-MM-DD' (inclusive). */
  min?: string;
  /** The latest date that may be chosen, 'YYYY-MM-DD' (inclusive). */
  max?: string;
  id?: string;
  style?: React.CSSProperties;
  className?: string;
  /** 'YYYY-MM-DD' unless given. */
  placeholder?: string;
  title?: string;
  'aria-label'?: string;
  allowClear?: boolean;
  disabled?: boolean;
}

/** Parses a 'YYYY-MM-DD' string into a dayjs value (local midnight); null for anything else. */
function toDayjs(value: string | null | undefined): Dayjs | null {
  if (!value || !YMD.test(value)) return null;
  const d = dayjs(value);
  return d.isValid() && d.format(DATE_FORMAT) === value ? d : null;
}

export function DateInput({ value, onChange, min, max, id, style, className, placeholder, title, 'aria-label': ariaLabel, allowClear, disabled }: DateInputProps) {
  const day = useMemo(() => toDayjs(value), [value]);
  const disabledDate = useMemo(() => {
    if (!min && !max) return undefined;
    return (d: Dayjs) => {
      const ymd = d.format(DATE_FORMAT);
      return (min !== undefined && ymd < min) || (max !== undefined && ymd > max);
    };
  }, [min, max]);
  return (
    <DatePicker
      id={id}
      style={{ width: '100%', ...style }}
      className={className}
      title={title}
      aria-label={ariaLabel}
      format={DATE_FORMAT}
      placeholder={placeholder ?? DATE_FORMAT}
      allowClear={allowClear}
      disabled={disabled}
      value={day}
      disabledDate={disabledDate}
      onChange={(d: Dayjs | null) => onChange?.(d ? d.format(DATE_FORMAT) : undefined)}
    />
  );
}
