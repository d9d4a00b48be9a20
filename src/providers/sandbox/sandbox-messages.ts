/**
 * What the sandbox "sends". Codes are derived from the order id, so a test or a demo can tell in
 * advance which code an order will receive, and two orders rarely share one.
 */
export function sandboxCode(sandboxOrderId: number): string {
  return String(100_000 + ((sandboxOrderId * 7919 + 123_457) % 900_000));
}

/** Sandbox numbers use a 555 block after the country's dialling code: recognisably not real lines. */
export function sandboxPhone(dialCode: string, sandboxOrderId: number): string {
  const prefix = /^\d{1,4}$/.test(dialCode) ? dialCode : '0';
  return `${prefix}555${String(sandboxOrderId % 10_000_000).padStart(7, '0')}`;
}

export function sandboxSmsText(service: string, code: string): string {
  return `Your ${service} verification code is ${code}. Do not share it with anyone.`;
}

export function sandboxEmail(domain: string, sandboxOrderId: number): string {
  return `sandbox.${sandboxOrderId.toString(36)}${(sandboxOrderId * 31 + 7).toString(36)}@${domain}`;
}

export function sandboxEmailHtml(site: string, code: string): string {
  return [
    '<html><body style="font-family:Arial;font-size:16px;color:#333333">',
    `<p>Hello,</p><p>Use this code to confirm your ${site} account:</p>`,
    `<p style="font-size:24px;font-weight:600">${code}</p>`,
    '<p>If you did not ask for this, ignore this email.</p></body></html>',
  ].join('');
}
