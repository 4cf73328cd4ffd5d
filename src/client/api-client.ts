/**
 * The one way the web client talks to the API: same-origin fetch with the session cookie, the CSRF
 * token on every state-changing request, and every failure turned into an `ApiError` that carries
 * the server's bilingual message and field issues (src/shared/errors.ts).
 */
import type { FormInstance } from 'antd';
import type { ErrorBody, FieldIssue } from '../shared/errors.ts';
import type { Lang } from './i18n.tsx';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly messageEn: string;
  readonly details: { issues?: FieldIssue[]; [key: string]: unknown };

  constructor(status: number, code: string, message: string, messageEn: string, details: ApiError['details'] = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.messageEn = messageEn;
    this.details = details;
  }

  /** The message in the user's language. */
  text(lang: Lang): string {
    return lang === 'en' ? this.messageEn : this.message;
  }
}

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** Remembers the CSRF token of the current session (from /api/auth/session or the sign-in). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request answers 401 (the session ended): the app goes back to the sign-in page. */
export function setUnauthenticatedHandler(fn: (() => void) | null): void {
  onUnauthenticated = fn;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type Query = Record<string, string | number | boolean | null | undefined>;

/** `/api` + path + the query's non-empty values. */
export function apiUrl(path: string, query?: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined || v === null || v === '') continue;
    qs.set(k, String(v));
  }
  const s = qs.toString();
  return `/api${path}${s ? `?${s}` : ''}`;
}

/**
 * Calls the API.
 * @returns the parsed JSON body (undefined for 204)
 * @throws ApiError for any failure, including a lost network (code NETWORK)
 */
export async function api<T>(method: string, path: string, opts: { query?: Query; body?: unknown } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (UNSAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(apiUrl(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
    });
  } catch {
    throw networkError();
  }
  if (res.status === 204) return undefined as T;
  return answer<T>(path, res.status, await res.text());
}

/** The parsed body of an answer, or the ApiError it carries. */
function answer<T>(path: string, status: number, text: string): T {
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {}
  if (status < 200 || status > 299) {
    const e = (body as Partial<ErrorBody> | undefined)?.error;
    const err = e
      ? new ApiError(status, e.code, e.message, e.messageEn, e.details ?? {})
      : new ApiError(status, 'INTERNAL', `服务器返回错误（${status}），请稍后再试`, `The server answered ${status}; try again later`);
    if (status === 401 && !path.startsWith('/auth/login') && onUnauthenticated) onUnauthenticated();
    throw err;
  }
  return body as T;
}

const networkError = () => new ApiError(0, 'NETWORK', '网络连接失败，请检查网络后重试', 'The network is unreachable; check the connection and try again');

/**
 * Uploads a multipart form (a file and text fields) with the CSRF token, reporting the share sent
 * (XMLHttpRequest: fetch tells nothing of an upload's progress, and files may be 100 MB).
 * @param onProgress percent of the body sent, 0–100
 * @returns the parsed JSON body
 * @throws ApiError as `api` does
 */
export function upload<T>(path: string, form: FormData, onProgress?: (percent: number) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', apiUrl(path));
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress((e.loaded / e.total) * 100);
    xhr.onerror = () => reject(networkError());
    xhr.onload = () => {
      try {
        resolve(answer<T>(path, xhr.status, xhr.responseText));
      } catch (e) {
        reject(e);
      }
    };
    xhr.send(form);
  });
}

export const get = <T>(path: string, query?: Query) => api<T>('GET', path, { query });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, { body: body ?? {} });
export const put = <T>(path: string, body?: unknown) => api<T>('PUT', path, { body: body ?? {} });
export const patch = <T>(path: string, body?: unknown) => api<T>('PATCH', path, { body: body ?? {} });
export const del = <T>(path: string) => api<T>('DELETE', path);

/** The message of any thrown value in the user's language. */
export function errorText(err: unknown, lang: Lang): string {
  if (err instanceof ApiError) return err.text(lang);
  return lang === 'en' ? 'Something went wrong; try again' : '操作失败，请重试';
}

/**
 * Shows the server's field issues under the matching fields of an antd Form.
 * @returns true when at least one issue was placed on a field of the form
 */
export function applyFieldErrors(form: FormInstance, err: unknown, lang: Lang): boolean {
  if (!(err instanceof ApiError) || !err.details.issues?.length) return false;
  const known = new Set(Object.keys(form.getFieldsValue() as Record<string, unknown>));
  const fields = err.details.issues
    .filter((i) => i.path.length > 0 && known.has(String(i.path[0])))
    .map((i) => ({ name: i.path, errors: [lang === 'en' ? i.messageEn : i.message] }));
  if (fields.length) form.setFields(fields);
  return fields.length > 0;
}
