import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchSim } from '../../src/sim-pool/inbound-sms.service.js';
import type { Sim } from '../../src/sim-pool/sims.repository.js';
import { readGatewayEvent } from '../../src/sim-pool/sms-gateway-payload.js';
import { checkGatewaySignature, signGatewayPayload } from '../../src/sim-pool/sms-gateway-signature.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('SMS gateway signature', () => {
  const body = Buffer.from('{"event":"sms:received"}');
  const ts = String(NOW / 1000);
  const sign = (secret: string) => signGatewayPayload(secret, body, ts);

  it('matches the gateway project documentation: hex HMAC-SHA256 of body then timestamp', () => {
    // Computed with the gateway docs' Python: hmac.new(key, (payload + timestamp).encode(), sha256).hexdigest()
    assert.equal(
      signGatewayPayload('key', '{"a":1}', '1700000000'),
      '5cff791334e7fd8344cc05c2398964f60329f4edd6ab1087ed1ba6c34eefeeca',
    );
    assert.match(sign('s'), /^[0-9a-f]{64}$/);
  });

  it('accepts a correct signature and refuses wrong, missing, malformed or stale ones', () => {
    const base = { secret: 's', rawBody: body, nowMs: NOW };
    assert.equal(checkGatewaySignature({ ...base, signature: sign('s'), timestamp: ts }), 'ok');
    assert.equal(checkGatewaySignature({ ...base, signature: sign('s').toUpperCase(), timestamp: ts }), 'ok');
    assert.equal(
      checkGatewaySignature({ ...base, signature: sign('other'), timestamp: ts }),
      'bad_signature',
    );
    assert.equal(checkGatewaySignature({ ...base, signature: 'abc', timestamp: ts }), 'bad_signature');
    assert.equal(checkGatewaySignature({ ...base, signature: undefined, timestamp: ts }), 'missing');
    assert.equal(checkGatewaySignature({ ...base, signature: sign('s'), timestamp: undefined }), 'missing');
    assert.equal(checkGatewaySignature({ ...base, signature: sign('s'), timestamp: '1e9' }), 'bad_timestamp');
    const old = String(NOW / 1000 - 301);
    assert.equal(
      checkGatewaySignature({ ...base, signature: signGatewayPayload('s', body, old), timestamp: old }),
      'stale',
    );
    const soon = String(NOW / 1000 + 299);
    assert.equal(
      checkGatewaySignature({ ...base, signature: signGatewayPayload('s', body, soon), timestamp: soon }),
      'ok',
    );
    // The signature covers the exact bytes: a re-serialised body with a space fails.
    const spaced = Buffer.from('{"event": "sms:received"}');
    assert.equal(
      checkGatewaySignature({
        secret: 's',
        rawBody: spaced,
        nowMs: NOW,
        signature: sign('s'),
        timestamp: ts,
      }),
      'bad_signature',
    );
  });
});

describe('SMS gateway payload', () => {
  const envelope = {
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event: 'sms:received',
    id: 'Ey6ECgOkVVFjz3CL48B8C',
    payload: {
      messageId: 'abc123',
      message: 'Android is always a sweet treat!',
      phoneNumber: '6505551212',
      simNumber: 1,
      receivedAt: '2024-06-22T15:46:11.000+07:00',
    },
    webhookId: '<unique-id>',
  };

  it('reads the documented sms:received example, device time with its offset', () => {
    assert.deepEqual(readGatewayEvent(envelope), {
      kind: 'sms_received',
      sms: {
        eventId: 'Ey6ECgOkVVFjz3CL48B8C',
        deviceId: 'ffffffffceb0b1db0000018e937c815b',
        sender: '6505551212',
        text: 'Android is always a sweet treat!',
        simSlot: 1,
        receivedAt: Date.parse('2024-06-22T08:46:11.000Z'),
      },
    });
  });

  it('accepts a null simNumber and an unreadable time, and passes other events through', () => {
    const event = readGatewayEvent({
      ...envelope,
      payload: { ...envelope.payload, simNumber: null, receivedAt: 'x' },
    });
    assert.equal(event?.kind === 'sms_received' && event.sms.simSlot, null);
    assert.equal(event?.kind === 'sms_received' && event.sms.receivedAt, null);
    assert.deepEqual(readGatewayEvent({ event: 'system:ping', payload: {} }), {
      kind: 'other',
      event: 'system:ping',
    });
  });

  it('refuses bodies that are not envelopes', () => {
    for (const bad of [
      null,
      [],
      'x',
      {},
      { ...envelope, id: '' },
      { ...envelope, id: 5 },
      { ...envelope, deviceId: undefined },
      { ...envelope, payload: null },
      { ...envelope, payload: { ...envelope.payload, message: 7 } },
      { ...envelope, payload: { ...envelope.payload, simNumber: 'one' } },
      { ...envelope, id: 'x'.repeat(201) },
    ]) {
      assert.equal(readGatewayEvent(bad), null, JSON.stringify(bad));
    }
  });
});

describe('matching an SMS to a SIM', () => {
  const sim = (id: number, simSlot: number | null): Sim => ({
    id,
    phone: `92300000000${id}`,
    label: null,
    deviceId: 'd',
    simSlot,
    enabled: true,
    lastClaimedAt: null,
    removedAt: null,
    createdAt: 0,
  });

  it('uses the slot, or the device when it has one SIM, and never guesses', () => {
    assert.equal(matchSim([sim(1, 1), sim(2, 2)], 2)?.id, 2);
    assert.equal(matchSim([sim(1, 1), sim(2, 2)], null), null);
    assert.equal(matchSim([sim(1, 1), sim(2, 2)], 3), null);
    assert.equal(matchSim([sim(1, null)], 2)?.id, 1);
    assert.equal(matchSim([sim(1, null)], null)?.id, 1);
    assert.equal(matchSim([sim(1, 1)], null)?.id, 1);
    assert.equal(matchSim([sim(1, 1)], 2), null);
    assert.equal(matchSim([], 1), null);
  });
});
