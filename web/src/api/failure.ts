// Every way a call can fail, sorted into what the diver can do about it.

export type FailureKind =
  | "rate_limited" // wait Retry-After seconds
  | "unavailable" // the model or database is down: retry
  | "validation" // the request itself was refused; fieldErrors says where
  | "not_found"
  | "unreachable" // no answer from the backend at all
  | "stream" // an error event arrived mid-answer
  | "failed";

export class ApiFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | null = null,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiFailure";
  }
}

const DEFAULT_RETRY_AFTER_SECONDS = 10;

export function retryAfterSeconds(header: string | null, now = Date.now()): number {
  if (!header) return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(1, Math.ceil(seconds));
  const date = Date.parse(header);
  if (!Number.isNaN(date)) return Math.max(1, Math.ceil((date - now) / 1000));
  return DEFAULT_RETRY_AFTER_SECONDS;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// details: [{field: "data.email", message: "..."}] → {email: "..."}; the last path part names
// the form field.
function fieldErrorsOf(details: unknown): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!Array.isArray(details)) return errors;
  for (const item of details) {
    if (!isRecord(item) || typeof item.field !== "string" || typeof item.message !== "string") {
      continue;
    }
    const field = item.field.split(".").pop() || item.field;
    errors[field] ??= item.message;
  }
  return errors;
}

/** The failure a non-2xx response stands for; `body` is its parsed JSON, if it had any. */
export function failureFromResponse(response: Response, body: unknown): ApiFailure {
  const status = response.status;
  const error = isRecord(body) && isRecord(body.error) ? body.error : null;
  const code = typeof error?.code === "string" ? error.code : `HTTP_${status}`;
  const message = typeof error?.message === "string" ? error.message : response.statusText;
  if (status === 429) {
    const wait = retryAfterSeconds(response.headers.get("Retry-After"));
    return new ApiFailure("rate_limited", status, code, message, wait);
  }
  if (!error && status >= 500) {
    // Not the backend's error shape: the proxy in front of it got no answer.
    return new ApiFailure("unreachable", status, "BACKEND_UNREACHABLE", message);
  }
  if (status === 503) return new ApiFailure("unavailable", status, code, message);
  if (status === 404) return new ApiFailure("not_found", status, code, message);
  if (status === 400 || status === 413 || status === 422) {
    return new ApiFailure("validation", status, code, message, null, fieldErrorsOf(error?.details));
  }
  return new ApiFailure("failed", status, code, message);
}

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException
    ? error.name === "AbortError"
    : isRecord(error) && error.name === "AbortError";
}

/** A thrown fetch error (not an HTTP status): the network or the backend is down. */
export function failureFromNetwork(error: unknown): ApiFailure {
  const message = error instanceof Error ? error.message : String(error);
  return new ApiFailure("unreachable", 0, "BACKEND_UNREACHABLE", message);
}
