import type { FastifyRequest } from 'fastify';

/** Request parameters as PHP's $_REQUEST sees them: query string, then the form or JSON body on top. */
export type Params = Readonly<Record<string, string>>;

const MAX_PARAM_LENGTH = 2048;

/**
 * Flattens query and body into strings. A repeated parameter keeps its last value (as PHP does),
 * nested objects are ignored, and over-long values are cut so no later code sees a megabyte id.
 */
export function readParams(request: FastifyRequest): Params {
  return paramsFrom(request.query, request.body);
}

/** The same flattening for an already parsed query string (and body, if any). */
export function paramsFrom(query: unknown, body?: unknown): Params {
  const merged: Record<string, string> = Object.create(null);
  addAll(merged, query);
  addAll(merged, body);
  return merged;
}

function addAll(target: Record<string, string>, source: unknown): void {
  if (source === null || typeof source !== 'object' || Array.isArray(source)) return;
  for (const [name, raw] of Object.entries(source as Record<string, unknown>)) {
    const value = Array.isArray(raw) ? raw[raw.length - 1] : raw;
    if (typeof value === 'string') target[name] = value.slice(0, MAX_PARAM_LENGTH);
    else if (typeof value === 'number' || typeof value === 'boolean') target[name] = String(value);
  }
}

/** The largest value a 32-bit integer column (PostgreSQL `integer`) holds. */
const INT32_MAX = 2_147_483_647;

/**
 * A catalogue number: a provider type, country, service or server id, or a duration in hours.
 * These live in 32-bit integer columns, so a larger number names nothing (and PostgreSQL would
 * refuse to compare it with such a column): it reads as invalid, like "abc".
 */
export function readCatalogInt(value: string | undefined): number | null {
  const parsed = readPositiveInt(value);
  return parsed !== null && parsed <= INT32_MAX ? parsed : null;
}

/** Parses a positive whole number parameter ("12", not "12.0", "1e3", "-1" or " 12 x"). */
export function readPositiveInt(value: string | undefined): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (!/^\d{1,15}$/.test(trimmed)) return null;
  const parsed = Number(trimmed);
  return parsed > 0 && Number.isSafeInteger(parsed) ? parsed : null;
}
