import { randomInt } from 'node:crypto';

/**
 * What the sandbox "sends". Codes are derived from the order id, so a test or a demo can tell in
 * advance which code an order will receive, and two orders rarely share one.
 */
export function sandboxCode(sandboxOrderId: number): string {
  return String(100_000 + ((sandboxOrderId * 7919 + 123_457) % 900_000));
}

/**
 * Sandbox numbers use a 555 block after the country's dialling code: recognisably not real lines.
 * The line is random rather than derived from the order id, so an order is one insert (the id is
 * only known after it); like real upstreams, two orders may now and then get the same number.
 */
export function sandboxPhone(dialCode: string, line = randomInt(10_000_000)): string {
  const prefix = /^\d{1,4}$/.test(dialCode) ? dialCode : '0';
  return `${prefix}555${String(line).padStart(7, '0')}`;
}

export function sandboxSmsText(service: string, code: string): string {
  return `Your ${service} verification code is ${code}. Do not share it with anyone.`;
}

/** A random mailbox name (36^10 of them): unique in practice, and known before the order's id. */
export function sandboxEmail(domain: string): string {
  const name = Array.from({ length: 10 }, () => randomInt(36).toString(36)).join('');
  return `sandbox.${name}@${domain}`;
}

export function sandboxEmailHtml(site: string, code: string): string {
  return [
    '<html><body style="font-family:Arial;font-size:16px;color:#333333">',
    `<p>Hello,</p><p>Use this code to confirm your ${site} account:</p>`,
    `<p style="font-size:24px;font-weight:600">${code}</p>`,
    '<p>If you did not ask for this, ignore this email.</p></body></html>',
  ].join('');
}
