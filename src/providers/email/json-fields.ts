/** Readers for fields of parsed upstream JSON, which is `unknown` until checked. */

import { parseCostMicros } from '../../shared/micros.js';
import type { DomainOffer } from '../types.js';

/** A string field of an upstream object, or undefined when absent or not a string/number. */
export function stringField(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[key];
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** An array field of an upstream object, or undefined. */
export function arrayField(source: unknown, key: string): unknown[] | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value = (source as Record<string, unknown>)[key];
  return Array.isArray(value) ? value : undefined;
}

/** A non-negative integer field (a stock count), from a number or a digit string. */
export function countField(source: unknown, key: string): number | undefined {
  const text = stringField(source, key);
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const count = Number(text.trim());
  return Number.isSafeInteger(count) ? count : undefined;
}

/** A field as it is, for values checked by their own parser (money goes to parseCostMicros). */
export function rawField(source: unknown, key: string): unknown {
  if (typeof source !== 'object' || source === null) return undefined;
  return (source as Record<string, unknown>)[key];
}

/**
 * The domain offers of an upstream's list of `{name, cost, count}` entries (the shape both email
 * protocols use). Malformed entries are skipped, not guessed at.
 */
export function domainOffers(entries: unknown[]): DomainOffer[] {
  const offers: DomainOffer[] = [];
  for (const entry of entries) {
    const domain = stringField(entry, 'name');
    const costMicros = parseCostMicros(rawField(entry, 'cost'));
    const stock = countField(entry, 'count');
    if (domain && costMicros !== undefined && stock !== undefined) offers.push({ domain, costMicros, stock });
  }
  return offers;
}
