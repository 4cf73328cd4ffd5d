/** Display formats: dates as YYYY-MM-DD, times as YYYY-MM-DD HH:mm (the browser's time zone). */

const pad = (n: number) => String(n).padStart(2, '0');

/** '2026-03-05' from an ISO timestamp or Date; '' for null. */
export function formatDate(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** '2026-03-05 14:07' from an ISO timestamp or Date; '' for null. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(d.getTime())) return '';
  return `${formatDate(d)} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Compresses a run of years: [2016,2017,2018,2020] → '2016–2018, 2020'. */
export function formatYears(years: readonly number[]): string {
  const ys = [...years].sort((a, b) => a - b);
  const parts: string[] = [];
  let i = 0;
  while (i < ys.length) {
    let j = i;
    while (j + 1 < ys.length && ys[j + 1] === ys[j]! + 1) j++;
    parts.push(j > i ? `${ys[i]}–${ys[j]}` : String(ys[i]));
    i = j + 1;
  }
  return parts.join(', ');
}

/**
 * Money in yuan, the one style of the pages: '7,147.00 元' in Chinese, '7,147.00 yuan' in English
 * (two decimals, thousands separator, the unit after); '—' for none.
 */
export function formatYuan(value: number | null | undefined, lang: 'zh' | 'en'): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  const text = value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return lang === 'zh' ? `${text} 元` : `${text} yuan`;
}
