/**
 * Configuration from the environment, parsed once at start. Every value has the reference's
 * default; a bad value stops the process with a message naming the variable.
 */

import { readFileSync } from 'node:fs';
import { parseTrustedProxies } from './http/client-address.js';

export interface Config {
  port: number;
  host: string;
  /** `postgres://…` selects PostgreSQL; anything else is a SQLite file path (`:memory:` allowed). */
  databaseUrl: string;
  logLevel: string;
  /** `pretty`: one readable line per event (a terminal); `json`: pino's JSON lines (log collectors). */
  logFormat: 'json' | 'pretty';
  /** Seconds after purchase before an SMS or cheap order may be cancelled. */
  cancelLockSeconds: number;
  /** Lifetime of an SMS OTP activation. */
  activationTtlSeconds: number;
  /** Validity of a cheap number. */
  cheapTtlSeconds: number;
  /** Lifetime of a temp email activation. */
  emailTtlSeconds: number;
  /** Delay before the sandbox delivers a code by itself; null when automatic delivery is off. */
  sandboxDelayMs: number | null;
  /** How often the background worker looks for due work. */
  workerIntervalMs: number;
  /** Whether this process runs the background worker (API-only processes set OTPGET_WORKER=off). */
  runWorker: boolean;
  /** Requests per second one account may make on the customer APIs; 0 turns the limit off. */
  rateLimitPerKey: number;
  /** Requests per second one client address may make on the customer APIs; 0 turns the limit off. */
  rateLimitPerIp: number;
  /**
   * Reverse proxies (addresses, CIDR ranges, `loopback`) whose X-Forwarded-For/-Proto are
   * believed for the client address and protocol; empty: no forwarded header is believed.
   */
  trustedProxies: string[];
  /** Portal sign-ups one client address may make per ten minutes; 0 turns the limit off. */
  signupLimitPerIp: number;
  /** Portal sign-ups from all addresses together per hour; 0 turns the limit off. */
  signupLimitPerHour: number;
  /** Redis for shared rate limits across processes; null keeps them in process memory. */
  redisUrl: string | null;
  /** Secret of the own-SIM-pool SMS gateway webhook (HMAC); null disables the webhook. */
  simWebhookSecret: string | null;
  /** Bearer token GET /metrics requires; null turns /metrics off (404). */
  metricsToken: string | null;
  /** Whether customer webhooks may point at loopback/private addresses (off: only public ones). */
  webhooksAllowPrivate: boolean;
  /** Days the upstream-call log keeps its rows before the worker prunes them. */
  upstreamCallRetentionDays: number;
  /** Minutes between scheduled re-imports of each imported SMS catalogue; 0 turns them off. */
  catalogReimportMinutes: number;
  /** The address customers reach this server at (for links in mail and CLI output); null if unset. */
  publicUrl: string | null;
  /** Longest time a client may take to send a whole request (headers and body); slow senders are cut. */
  requestTimeoutMs: number;
  /** Longest time a client may take to send the request headers. */
  headersTimeoutMs: number;
  /** Long-polls (`wait=N`) one account may hold open at once in a process; more answer at once. */
  longPollsPerAccount: number;
  /** Requests one account may have waiting at once for the first request of their idempotency key. */
  idempotencyWaitsPerAccount: number;
  /** Idempotency keys kept per account; the cleanup job forgets the oldest finished ones beyond it. */
  idempotencyKeysPerAccount: number;
  /** Outgoing mail (password-reset links); null: reset requests wait for the operator instead. */
  smtp: SmtpConfig | null;
}

export interface SmtpConfig {
  /** `smtp://[user:pass@]host[:587]` (STARTTLS required) or `smtps://…[:465]` (TLS from the start). */
  url: URL;
  from: string;
  /** PEM of the CA to trust for the mail server's certificate (a private CA); null: the system's CAs. */
  ca: string | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max)
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

function readBool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'on', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'off', 'no'].includes(raw)) return false;
  throw new ConfigError(`${name} must be on or off, got "${env[name]}"`);
}

function readPublicUrl(env: Env): string | null {
  const raw = env.OTPGET_PUBLIC_URL?.trim();
  if (!raw) return null;
  if (!/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(raw)) {
    throw new ConfigError(
      `OTPGET_PUBLIC_URL must be an http(s) address like https://otp.example.com, got "${raw}"`,
    );
  }
  return raw.replace(/\/+$/, '');
}

/** SMTP_URL turns mail on; it then needs OTPGET_MAIL_FROM and OTPGET_PUBLIC_URL (links must be absolute). */
function readSmtp(env: Env, publicUrl: string | null): SmtpConfig | null {
  const raw = env.SMTP_URL?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('SMTP_URL must be a URL like smtp://user:password@mail.example.com:587');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    throw new ConfigError(`SMTP_URL must start with smtp:// or smtps://, got "${url.protocol}//"`);
  }
  const from = env.OTPGET_MAIL_FROM?.trim() ?? '';
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(from)) {
    throw new ConfigError(
      'OTPGET_MAIL_FROM must be the sender address (like otp@example.com) when SMTP_URL is set',
    );
  }
  if (!publicUrl) {
    throw new ConfigError(
      'OTPGET_PUBLIC_URL must be set when SMTP_URL is set: mailed links need the full address',
    );
  }
  const caFile = env.SMTP_CA_FILE?.trim();
  let ca: string | null = null;
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch {
      throw new ConfigError(`SMTP_CA_FILE must be a readable PEM file, got "${caFile}"`);
    }
  }
  return { url, from, ca };
}

function readTrustedProxies(env: Env): string[] {
  try {
    return parseTrustedProxies(env.OTPGET_TRUST_PROXY);
  } catch (error) {
    throw new ConfigError(`OTPGET_TRUST_PROXY: ${(error as Error).message}`);
  }
}

/** LOG_FORMAT, or by default readable lines when a person watches stdout and JSON when a program does. */
function readLogFormat(env: Env): 'json' | 'pretty' {
  const raw = env.LOG_FORMAT?.trim().toLowerCase();
  if (!raw) return process.stdout.isTTY ? 'pretty' : 'json';
  if (raw !== 'json' && raw !== 'pretty')
    throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${raw}"`);
  return raw;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): Config {
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const logFormat = readLogFormat(env);
  const publicUrl = readPublicUrl(env);
  const sandboxRaw = env.OTPGET_SANDBOX_DELAY_MS?.trim().toLowerCase();
  const sandboxDelayMs =
    sandboxRaw === 'off' ? null : readInt(env, 'OTPGET_SANDBOX_DELAY_MS', 10_000, 0, 86_400_000);
  return {
    port: readInt(env, 'PORT', 8080, 0, 65_535),
    host: env.HOST?.trim() || '0.0.0.0',
    databaseUrl: env.DATABASE_URL?.trim() || './data/otpget.db',
    logLevel,
    logFormat,
    cancelLockSeconds: readInt(env, 'OTPGET_CANCEL_LOCK_SECONDS', 120, 0, 86_400),
    activationTtlSeconds: readInt(env, 'OTPGET_ACTIVATION_TTL_SECONDS', 1200, 1, 604_800),
    cheapTtlSeconds: readInt(env, 'OTPGET_CHEAP_TTL_SECONDS', 900, 1, 604_800),
    emailTtlSeconds: readInt(env, 'OTPGET_EMAIL_TTL_SECONDS', 1200, 1, 604_800),
    sandboxDelayMs,
    workerIntervalMs: readInt(env, 'OTPGET_WORKER_INTERVAL_MS', 1000, 10, 3_600_000),
    runWorker: readBool(env, 'OTPGET_WORKER', true),
    rateLimitPerKey: readInt(env, 'OTPGET_RATE_LIMIT_PER_KEY', 100, 0, 1_000_000),
    rateLimitPerIp: readInt(env, 'OTPGET_RATE_LIMIT_PER_IP', 500, 0, 1_000_000),
    trustedProxies: readTrustedProxies(env),
    signupLimitPerIp: readInt(env, 'OTPGET_SIGNUP_LIMIT_PER_IP', 5, 0, 1_000_000),
    signupLimitPerHour: readInt(env, 'OTPGET_SIGNUP_LIMIT_PER_HOUR', 100, 0, 1_000_000),
    redisUrl: env.REDIS_URL?.trim() || null,
    simWebhookSecret: env.OTPGET_SIM_WEBHOOK_SECRET?.trim() || null,
    metricsToken: env.OTPGET_METRICS_TOKEN?.trim() || null,
    webhooksAllowPrivate: readBool(env, 'OTPGET_WEBHOOKS_ALLOW_PRIVATE', false),
    upstreamCallRetentionDays: readInt(env, 'OTPGET_UPSTREAM_CALL_RETENTION_DAYS', 7, 1, 365),
    catalogReimportMinutes: readInt(env, 'OTPGET_CATALOG_REIMPORT_MINUTES', 360, 0, 10_080),
    publicUrl,
    ...readTimeouts(env),
    longPollsPerAccount: readInt(env, 'OTPGET_LONG_POLLS_PER_ACCOUNT', 50, 1, 100_000),
    idempotencyWaitsPerAccount: readInt(env, 'OTPGET_IDEMPOTENCY_WAITS_PER_ACCOUNT', 20, 1, 100_000),
    idempotencyKeysPerAccount: readInt(env, 'OTPGET_IDEMPOTENCY_KEYS_PER_ACCOUNT', 100_000, 1, 100_000_000),
    smtp: readSmtp(env, publicUrl),
  };
}

/**
 * Node measures both from the first byte of a request to its last, not the reply: a long-poll's
 * 30 s wait comes after them. The defaults still exceed it, with margin, for slow mobile clients.
 */
function readTimeouts(env: Env): { requestTimeoutMs: number; headersTimeoutMs: number } {
  const requestTimeoutMs = readInt(env, 'OTPGET_REQUEST_TIMEOUT_MS', 60_000, 1_000, 3_600_000);
  const headersTimeoutMs = readInt(env, 'OTPGET_HEADERS_TIMEOUT_MS', 40_000, 1_000, 3_600_000);
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError(
      `OTPGET_HEADERS_TIMEOUT_MS (${headersTimeoutMs}) must not exceed OTPGET_REQUEST_TIMEOUT_MS (${requestTimeoutMs})`,
    );
  }
  return { requestTimeoutMs, headersTimeoutMs };
}

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgres://') || url.startsWith('postgresql://');
}
