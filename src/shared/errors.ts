/**
 * One error type for the whole platform. Services throw `AppError`; the HTTP layer maps `code` to a
 * status in one place (src/platform/http.ts); the web client reads the same codes.
 *
 * Every message is bilingual: `message` is Chinese (the UI's default) and `messageEn` is English.
 */

/** The error codes fupin uses, with the HTTP status each maps to. */
export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_INVALID: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  STALE_EDIT: 409,
  /** Workflow refusals (identification, later exit): a step that the procedure does not allow now. */
  STEP_NOT_ALLOWED: 409,
  PROCEDURE_ENDED: 409,
  NOTICE_TOO_SHORT: 409,
  NOTICE_NOT_ENDED: 409,
  OPEN_OBJECTION: 409,
  RED_LINE_HIT: 409,
  QUORUM_NOT_MET: 409,
  REASON_REQUIRED: 400,
  ACCOUNT_LOCKED: 423,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** A field-level problem: `path` is the JSON path of the field in the request body, e.g. ["areaCode"]. */
export interface FieldIssue {
  path: (string | number)[];
  message: string;
  messageEn: string;
}

export interface ErrorDetails {
  issues?: FieldIssue[];
  [key: string]: unknown;
}

/** The body every failing API call answers with. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; messageEn: string; details: ErrorDetails };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly messageEn: string;
  readonly details: ErrorDetails;

  /**
   * @param code one of ERROR_STATUS's keys
   * @param message Chinese message shown to users
   * @param messageEn the same message in English
   * @param details structured details (field issues, ids); never personal data in clear
   */
  constructor(code: ErrorCode, message: string, messageEn: string, details: ErrorDetails = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.messageEn = messageEn;
    this.details = details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, messageEn: this.messageEn, details: this.details } };
  }
}

/** Not found, or outside the actor's area scope (the two are indistinguishable on purpose). */
export function notFound(what: string, whatEn: string, details: ErrorDetails = {}): AppError {
  return new AppError('NOT_FOUND', `${what}不存在或不在您的管辖范围内`, `${whatEn} not found or outside your area`, details);
}

/** The actor's role does not hold the action. */
export function forbidden(action: string): AppError {
  return new AppError('FORBIDDEN', `您的角色无权执行此操作（${action}）`, `Your role may not perform this action (${action})`, {
    action,
  });
}

/** A single-field validation failure. */
export function invalidField(path: (string | number)[], message: string, messageEn: string): AppError {
  return new AppError('VALIDATION_FAILED', `输入有误：${message}`, `Invalid input: ${messageEn}`, {
    issues: [{ path, message, messageEn }],
  });
}
