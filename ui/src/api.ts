/** The node's HTTP API as the console uses it; a signed-in session's token goes along as a Bearer credential. */

export interface Session {
  token: string;
  expiresAt: number;
}

const sessionKey = "llm-router.session";

export function currentSession(): Session | null {
  const text = sessionStorage.getItem(sessionKey);
  if (!text) {
    return null;
  }
  try {
    const session = JSON.parse(text) as Session;
    if (typeof session.token === "string" && session.expiresAt > Date.now()) {
      return session;
    }
  } catch {
    // A damaged entry is dropped below.
  }
  sessionStorage.removeItem(sessionKey);
  return null;
}

/** GET /auth/me: the key and role the console acts as. */
export interface WhoAmI {
  key_id: string | null;
  key_name: string | null;
  role: string | null;
  is_admin: boolean;
  is_local: boolean;
  credential_optional: boolean;
  session_id: string | null;
  session_expires_at: string | null;
  bound_model: string | null;
  /** The key's budget in its current period, when it has one. */
  budget: BudgetStatus | null;
}

/** A key's budget now: spent (settled), held by calls in flight, and left until the period resets. */
export interface BudgetStatus {
  period: "day" | "month";
  limit_usd: number;
  spent_usd: number;
  reserved_usd: number;
  remaining_usd: number;
  resets_at: string;
}

let who: Promise<WhoAmI | null> | null = null;

/** Who the console acts as, asked once per sign-in or sign-out; null when the node will not say (no credential, older node). */
export function whoAmI(): Promise<WhoAmI | null> {
  who ??= get<WhoAmI>("/auth/me").catch(() => null);
  return who;
}

function saveSession(session: Session | null): void {
  who = null;
  if (session) {
    sessionStorage.setItem(sessionKey, JSON.stringify(session));
  } else {
    sessionStorage.removeItem(sessionKey);
  }
  window.dispatchEvent(new Event("llm-router:session"));
}

/** An answer other than 2xx, with the OpenAI-shaped error's fields when the node sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string | null = null,
  ) {
    super(message);
  }
}

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  const session = currentSession();
  if (session) {
    headers.Authorization = `Bearer ${session.token}`;
  }
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "omit",
    cache: "no-store",
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    let code: string | null = null;
    try {
      const json = await response.json();
      const error = json?.error;
      if (error && typeof error.message === "string") {
        message = error.message;
        code = typeof error.code === "string" ? error.code : null;
      }
    } catch {
      // Not JSON: keep the status line.
    }
    if (response.status === 401) {
      // An expired or revoked session token is of no more use: forget it, and let the page offer sign-in.
      if (session) {
        sessionStorage.removeItem(sessionKey);
      }
      who = null;
      window.dispatchEvent(new CustomEvent("llm-router:unauthorized"));
    }
    throw new ApiError(response.status, message, code);
  }
  if (response.status === 204) {
    return undefined as T;
  }
  return (await response.json()) as T;
}

export const get = <T>(path: string) => request<T>("GET", path);

/** One silo in GET /cluster. */
export interface Silo {
  address: string;
  name: string;
  status: string;
  started_at: string;
  role: string;
  activations?: number;
  grains?: GrainActivations[];
}

export interface GrainActivations {
  grain_type: string;
  activations: number;
}

/** What GET /cluster answers (admins only). */
export interface ClusterOverview {
  silos: Silo[];
  activations: GrainActivations[];
}

export async function login(apiKey: string): Promise<void> {
  const answer = await request<{ token: string; expires_in: number }>("POST", "/auth/login", { api_key: apiKey });
  saveSession({ token: answer.token, expiresAt: Date.now() + answer.expires_in * 1000 });
}

export async function logout(): Promise<void> {
  try {
    if (currentSession()) {
      await request("POST", "/auth/logout");
    }
  } finally {
    saveSession(null);
  }
}

export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== "") {
      search.set(name, String(value));
    }
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

export interface UsageGroup {
  key: string | null;
  provider?: string;
  model?: string;
  api_key_id?: string;
  api_key_name?: string;
  requests: number;
  errors: number;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number;
  avg_latency_ms: number;
  error_rate: number;
}

export interface Statistics {
  total_requests: number;
  successful_requests: number;
  failed_requests: number;
  /** Calls the router refused itself: not in total_requests nor error_rate. */
  rejected_requests: number;
  rejected_rate: number;
  total_tokens: number;
  total_cost: number;
  avg_latency_ms: number;
  avg_time_to_first_token_ms: number | null;
  error_rate: number;
}

export interface CostPeriod {
  requests: number;
  total_tokens: number;
  cost: number;
}

export interface CostCurrent {
  today: CostPeriod;
  this_month: CostPeriod;
  total: CostPeriod;
}

export interface CostSummary {
  days: number;
  total_requests: number;
  total_tokens: number;
  total_cost: number;
  average_daily_cost: number;
}

export interface TimeBucket {
  start: string;
  requests: number;
  total_tokens: number;
  cost: number;
  groups: UsageGroup[];
}

export interface TimeSeries {
  granularity: string;
  group_by: string | null;
  start: string;
  end: string;
  buckets: TimeBucket[];
}

export interface Invocation {
  id: number;
  created_at: string;
  node: string | null;
  api_key_id: string | null;
  api_key_name: string | null;
  session_id: string | null;
  client_format: string;
  /** The router endpoint the client called (e.g. "/v1/embeddings"); null for calls logged before the log kept it. */
  endpoint: string | null;
  provider: string;
  model: string;
  group: string | null;
  rule: string | null;
  status: "success" | "error" | "client_closed" | "rejected";
  http_status: number;
  error: string | null;
  /** For a call the router refused by a limit, which one (e.g. "key rpm 60"). */
  refused_by?: string;
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  cost: number;
  latency_ms: number;
  time_to_first_token_ms: number | null;
  stream: boolean;
  attempts: number;
}

export interface CallAttempt {
  id: number;
  provider: string;
  model: string;
  status: Invocation["status"];
  http_status: number;
}

export interface InvocationDetail extends Invocation {
  request: string | null;
  response: string | null;
  raw: string | null;
  /** Every attempt of a call that fell back, oldest first (this one included); null for one attempt. */
  call_attempts: CallAttempt[] | null;
}

export interface InvocationList {
  total: number;
  limit: number;
  offset: number;
  items: Invocation[];
}

export interface Model {
  id: string;
  name: string;
  provider: string;
  provider_type: string;
  display_name: string | null;
  tags: string[];
  is_active: boolean;
  capabilities: { context_window: string | null; supports_vision: boolean; supports_tools: boolean; languages: string[] };
  pricing: { cost_per_1k_tokens: number; cost_per_1k_completion_tokens: number };
}

export interface Provider {
  name: string;
  type: string;
  base_url?: string | null;
  source?: string;
}

export interface ApiKey {
  id: string;
  name: string;
  role: string;
  is_active: boolean;
  source: string;
  allowed_models: string[] | null;
  allowed_providers: string[] | null;
  parameter_limits: { max_tokens: number | null; temperature: number | null; top_p: number | null } | null;
  rate_limit: { max_requests: number | null; per_seconds: number; burst_size: number | null; tokens_per_minute: number | null } | null;
  budget: { limit_usd: number; period: string } | null;
  created_at: string | null;
  updated_at: string | null;
  last_used_at: string | null;
}

export interface CreatedApiKey extends ApiKey {
  key: string;
}
