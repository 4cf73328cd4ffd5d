/**
 * Masking of personal identifiers in lists, exports and logs (fupin shows them in full only to roles
 * that need them, and audits each full read).
 */

/** '13812345678' → '138****5678'. Shorter or odd values keep at most their first and last two characters. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  const p = phone.trim();
  if (p.length >= 11) return `${p.slice(0, 3)}****${p.slice(-4)}`;
  if (p.length <= 4) return '*'.repeat(p.length);
  return `${p.slice(0, 2)}${'*'.repeat(p.length - 4)}${p.slice(-2)}`;
}

/** An 18-digit ID number keeps its first 6 (region) and last 4 characters: '430181********123X'. */
export function maskIdNumber(id: string | null | undefined): string | null {
  if (!id) return id ?? null;
  const s = id.trim();
  if (s.length < 10) return '*'.repeat(s.length);
  return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
}
