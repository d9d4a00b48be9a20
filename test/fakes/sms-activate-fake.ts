/**
 * A scripted SMS-Activate-protocol upstream for tests: a node:http server on 127.0.0.1 (random port)
 * answering `/stubs/handler_api.php` with in-memory state (balance, prices and stock, activations, rentals,
 * messages) and controls to inject faults, lose replies and deliver SMS. Deterministic: ids and phones are
 * sequential, time comes from `options.now`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatMicros, parseDecimalToMicros } from '../../src/shared/micros.js';

/**
 * What to do to the next request(s) of an action instead of answering normally:
 * 'http500' (HTTP 500 "Internal Server Error"), 'garbage' (HTTP 200 binary-ish junk), 'html' (HTTP 200
 * proxy error page), 'timeout' (read the request, never answer; the socket is held until the client gives
 * up or the fake closes), 'reset' (destroy the socket), `{ slowMs }` (execute, answer after slowMs),
 * `{ status, body }` (answer that), or any other string: answer it verbatim with HTTP 200 ('NO_NUMBERS', …).
 * Faults other than slowMs happen before the action runs: state does not change.
 */
export type FakeFault =
  | 'http500'
  | 'garbage'
  | 'html'
  | 'timeout'
  | 'reset'
  | { slowMs: number }
  | { status?: number; body: string }
  | (string & {});

/** Reply shapes that differ between real upstreams; mutable at run time through `fake.variants`. */
export interface FakeVariants {
  /** getActiveActivations: `{activeActivations:[…]}` | `{activeActivations:{"0":…}}` | `{activeActivations:{rows:[…]}}` | `{data:[…]}`. */
  activeList: 'classic' | 'object' | 'rows' | 'data';
  /** getPrices / rent offers: costs as JSON strings (Tiger) instead of numbers. */
  pricesAsStrings: boolean;
  /** getNumber answers with the getNumberV2 JSON instead of ACCESS_NUMBER text. */
  getNumberJson: boolean;
  /** Rent dates: naive Moscow time, Moscow with `+03:00`, or UTC with `+00:00`. */
  rentDates: 'moscow' | 'offset' | 'utc';
  /** getRentStatus `values` as an object keyed "0","1",… or as an array. */
  rentValues: 'object' | 'array';
  /** getRentStatus lists the newest message first. */
  rentNewestFirst: boolean;
  /** Rent offer `quant` as a number or as `{current,total}`. */
  rentQuant: 'number' | 'object';
}

export interface FakeSmsActivateOptions {
  apiKey?: string;
  /** Starting balance as a decimal string. Default "100". */
  balance?: string;
  /** Whether getActiveActivations exists (otherwise BAD_ACTION). Default true. */
  supportsActiveList?: boolean;
  variants?: Partial<FakeVariants>;
  /** setStatus 8 answers EARLY_CANCEL_DENIED for activations younger than this. Default 0. */
  cancelDeniedForMs?: number;
  /** setRentStatus 2 answers CANT_CANCEL for rentals older than this. Default 20 minutes. */
  rentCancelWindowMs?: number;
  /** Clock. Default Date.now. */
  now?: () => number;
  /** First activation/rental id. Default 3_000_000_001 (above 2^31, like real ids). */
  firstId?: number;
}

/** One request the fake received (the API key itself is not recorded). */
export interface FakeRequest {
  action: string;
  params: Record<string, string>;
  apiKeyMatched: boolean;
}

export interface FakeSms {
  text: string;
  code: string;
  sender: string;
  at: number;
  /** Upstream SMS id, sent in getRentStatus only when given to deliverSms. */
  smsId?: string;
}

export interface FakeActivation {
  id: string;
  phone: string;
  country: string;
  service: string;
  costMicros: number;
  createdAt: number;
  state: 'waiting' | 'received' | 'retry' | 'cancelled' | 'finished';
  sms: FakeSms[];
}

export interface FakeRental {
  id: string;
  phone: string;
  country: string;
  service: string;
  costMicros: number;
  createdAt: number;
  endsAt: number;
  state: 'active' | 'cancelled' | 'finished';
  sms: FakeSms[];
}

export interface FakeSmsActivate {
  /** Base URL (`http://127.0.0.1:<port>`); the handler is at `${url}/stubs/handler_api.php`. */
  url: string;
  handlerUrl: string;
  apiKey: string;
  /** Every request received, in order. */
  requests: FakeRequest[];
  /** Number of requests received for one action. */
  count(action: string): number;
  supportsActiveList: boolean;
  variants: FakeVariants;
  activations: Map<string, FakeActivation>;
  rentals: Map<string, FakeRental>;
  /** Current balance in micros. */
  readonly balanceMicros: number;
  setBalance(decimal: string): void;
  /** Stock of an activation offer (creates the offer at cost 1 if missing). */
  setStock(country: string, service: string, n: number): void;
  /** Cost of an activation offer as a decimal (creates the offer with stock 0 if missing). */
  setPrice(country: string, service: string, cost: string | number): void;
  /** Names getCountries (English) and getServicesList publish; default "Country <id>" / the code. */
  setCountryName(country: string, name: string): void;
  setServiceName(service: string, name: string): void;
  /** The upstream stops selling an activation offer (it leaves getPrices). */
  removeOffer(country: string, service: string): void;
  /** A rent offer: cost per hour (decimal) and stock. */
  setRentOffer(
    country: string,
    service: string,
    offer: { costPerHour: string | number; stock: number },
  ): void;
  /** The upstream stops renting a service in a country (it leaves getRentServicesAndCountries). */
  removeRentOffer(country: string, service: string): void;
  /**
   * An SMS arrives on an activation or a rental. The code defaults to the first run of 4–8 digits, or
   * the whole text when there is none (as upstreams do for service "ot").
   */
  deliverSms(
    upstreamId: string,
    text: string,
    extra?: { code?: string; sender?: string; at?: number; smsId?: string },
  ): void;
  /** Queue a fault for the next `times` requests of `action`. */
  failNext(action: string, fault: FakeFault, times?: number): void;
  /** The next `action` runs (state changes, money is taken) but its reply is lost: held open or reset. */
  loseNextReply(action: string, how: 'timeout' | 'reset'): void;
  /** Drop every queued fault and lost reply. */
  clearFaults(): void;
  /**
   * Where the fake POSTs an SMS-Activate-style push on every delivery (null: no push, the default),
   * as HeroSMS and similar upstreams call a webhook when an SMS lands. Pushes are sent after the
   * SMS is stored, so a read straight after one sees it; `pushes` counts those answered 200.
   */
  setPushUrl(url: string | null): void;
  readonly pushes: number;
  close(): Promise<void>;
}

const HOUR_MS = 3_600_000;
const MOSCOW_MS = 3 * HOUR_MS;

interface Offer {
  costMicros: number;
  stock: number;
}

interface Reply {
  status?: number;
  body: string;
  json?: boolean;
}

type PendingFault = FakeFault | { lose: 'timeout' | 'reset' };

export async function startFakeSmsActivate(options: FakeSmsActivateOptions = {}): Promise<FakeSmsActivate> {
  const apiKey = options.apiKey ?? 'fake-key-6f1d2c3b4a';
  const now = options.now ?? Date.now;
  const cancelDeniedForMs = options.cancelDeniedForMs ?? 0;
  const rentCancelWindowMs = options.rentCancelWindowMs ?? 20 * 60_000;
  let nextId = options.firstId ?? 3_000_000_001;
  let nextPhone = 1;
  let balanceMicros = micros(options.balance ?? '100');
  const offers = new Map<string, Offer>();
  const rentOffers = new Map<string, Offer>();
  const countryNames = new Map<string, string>();
  const serviceNames = new Map<string, string>();
  const faults = new Map<string, PendingFault[]>();
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();
  let pushUrl: string | null = null;
  let pushes = 0;
  const push = (body: Record<string, unknown>) => {
    if (pushUrl === null) return;
    fetch(pushUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
      .then((response) => {
        if (response.ok) pushes++;
        return response.arrayBuffer();
      })
      .catch(() => {
        // A push is a hint: a lost one is made up for by polling.
      });
  };

  const fake: FakeSmsActivate = {
    url: '',
    handlerUrl: '',
    apiKey,
    requests: [],
    count: (action) => fake.requests.filter((request) => request.action === action).length,
    supportsActiveList: options.supportsActiveList ?? true,
    variants: {
      activeList: 'classic',
      pricesAsStrings: false,
      getNumberJson: false,
      rentDates: 'moscow',
      rentValues: 'object',
      rentNewestFirst: true,
      rentQuant: 'number',
      ...options.variants,
    },
    activations: new Map(),
    rentals: new Map(),
    get balanceMicros() {
      return balanceMicros;
    },
    setBalance: (decimal) => {
      balanceMicros = micros(decimal);
    },
    setStock: (country, service, n) => {
      offerFor(offers, country, service, 1_000_000).stock = n;
    },
    setPrice: (country, service, cost) => {
      offerFor(offers, country, service, 0).costMicros = micros(cost);
    },
    setCountryName: (country, name) => {
      countryNames.set(country, name);
    },
    setServiceName: (service, name) => {
      serviceNames.set(service, name);
    },
    removeOffer: (country, service) => {
      offers.delete(`${country}/${service}`);
    },
    removeRentOffer: (country, service) => {
      rentOffers.delete(`${country}/${service}`);
    },
    setRentOffer: (country, service, offer) => {
      rentOffers.set(`${country}/${service}`, { costMicros: micros(offer.costPerHour), stock: offer.stock });
    },
    deliverSms: (upstreamId, text, extra = {}) => {
      const sms: FakeSms = {
        text,
        code: extra.code ?? /\d{4,8}/.exec(text)?.[0] ?? text,
        sender: extra.sender ?? 'Service',
        at: extra.at ?? now(),
        ...(extra.smsId ? { smsId: extra.smsId } : {}),
      };
      const activation = fake.activations.get(upstreamId);
      if (activation) {
        activation.sms.push(sms);
        if (activation.state === 'waiting' || activation.state === 'retry') activation.state = 'received';
        push({
          activationId: Number(activation.id),
          service: activation.service,
          text: sms.text,
          code: sms.code,
          country: Number(activation.country),
          receivedAt: new Date(sms.at).toISOString().slice(0, 19).replace('T', ' '),
        });
        return;
      }
      const rental = fake.rentals.get(upstreamId);
      if (!rental) throw new Error(`fake: no activation or rental ${upstreamId}`);
      rental.sms.push(sms);
      push({
        rentId: Number(rental.id),
        sms: { phoneFrom: sms.sender, text: sms.text, date: new Date(sms.at).toISOString() },
      });
    },
    setPushUrl: (url) => {
      pushUrl = url;
    },
    get pushes() {
      return pushes;
    },
    failNext: (action, fault, times = 1) => {
      const queue = faults.get(action) ?? [];
      for (let i = 0; i < times; i++) queue.push(fault);
      faults.set(action, queue);
    },
    loseNextReply: (action, how) => {
      const queue = faults.get(action) ?? [];
      queue.push({ lose: how });
      faults.set(action, queue);
    },
    clearFaults: () => faults.clear(),
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const response of held) response.socket?.destroy();
      held.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const server = createServer((request, response) => {
    void handle(request, response).catch(() => {
      response.socket?.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const params = Object.fromEntries(url.searchParams);
    if (request.method === 'POST')
      Object.assign(params, Object.fromEntries(new URLSearchParams(await readBody(request))));
    if (url.pathname !== '/stubs/handler_api.php') {
      send(response, { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>' });
      return;
    }
    const { api_key: key, action = '', ...rest } = params;
    fake.requests.push({ action, params: rest, apiKeyMatched: key === apiKey });

    const fault = faults.get(action)?.shift();
    if (fault !== undefined && typeof fault === 'object' && 'lose' in fault) {
      answer(key, action, rest); // the upstream does the work…
      loseReply(response, fault.lose); // …and the reply never arrives.
      return;
    }
    if (fault !== undefined && !(typeof fault === 'object' && 'slowMs' in fault)) {
      applyFault(response, fault);
      return;
    }
    const reply = answer(key, action, rest);
    if (fault !== undefined && typeof fault === 'object' && 'slowMs' in fault) {
      held.add(response);
      const timer = setTimeout(() => {
        timers.delete(timer);
        held.delete(response);
        if (!response.destroyed) send(response, reply);
      }, fault.slowMs);
      timers.add(timer);
      return;
    }
    send(response, reply);
  }

  function applyFault(response: ServerResponse, fault: FakeFault): void {
    if (fault === 'http500') send(response, { status: 500, body: 'Internal Server Error' });
    else if (fault === 'garbage') send(response, { body: '\u0000\u0001\u00ff}{ not a reply ]]' });
    else if (fault === 'html')
      send(response, {
        body: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
      });
    else if (fault === 'timeout') loseReply(response, 'timeout');
    else if (fault === 'reset') loseReply(response, 'reset');
    else if (typeof fault === 'object' && 'body' in fault)
      send(response, { status: fault.status, body: fault.body });
    else if (typeof fault === 'string') send(response, { body: fault });
  }

  function loseReply(response: ServerResponse, how: 'timeout' | 'reset'): void {
    if (how === 'reset') {
      response.socket?.destroy();
      return;
    }
    held.add(response);
    response.on('close', () => held.delete(response));
  }

  /** Runs one action against the state and returns its reply. */
  function answer(key: string | undefined, action: string, p: Record<string, string>): Reply {
    if (key === undefined || key === '') return { body: 'NO_KEY' };
    if (key !== apiKey) return { body: 'BAD_KEY' };
    switch (action) {
      case 'getBalance':
        return { body: `ACCESS_BALANCE:${money(balanceMicros)}` };
      case 'getCountries':
        return getCountries();
      case 'getServicesList':
        return getServicesList();
      case 'getPrices':
        return getPrices(p);
      case 'getNumber':
        return getNumber(p, fake.variants.getNumberJson);
      case 'getNumberV2':
        return getNumber(p, true);
      case 'getStatus':
        return getStatus(p);
      case 'setStatus':
        return setStatus(p);
      case 'getActiveActivations':
        return fake.supportsActiveList ? getActiveActivations() : { body: 'BAD_ACTION' };
      case 'getRentServicesAndCountries':
        return getRentOffers(p);
      case 'getRentNumber':
        return getRentNumber(p);
      case 'getRentStatus':
        return getRentStatus(p);
      case 'continueRentNumber':
        return continueRent(p);
      case 'setRentStatus':
        return setRentStatus(p);
      case '':
        return { body: 'NO_ACTION' };
      default:
        return { body: 'BAD_ACTION' };
    }
  }

  /** Every country with an offer or a name, SMS-Activate style: `{"<id>":{"id","rus","eng","chn","visible"}}`. */
  function getCountries(): Reply {
    const ids = new Set([...offers.keys()].map((key) => key.split('/')[0] as string));
    for (const id of countryNames.keys()) ids.add(id);
    const table: Record<string, unknown> = {};
    for (const id of [...ids].sort((a, b) => Number(a) - Number(b))) {
      const name = countryNames.get(id) ?? `Country ${id}`;
      table[id] = { id: Number(id), rus: name, eng: name, chn: name, visible: 1, retry: 1 };
    }
    return json(table);
  }

  function getServicesList(): Reply {
    const codes = new Set([...offers.keys()].map((key) => key.split('/')[1] as string));
    for (const code of serviceNames.keys()) codes.add(code);
    return json({
      status: 'success',
      services: [...codes].sort().map((code) => ({ code, name: serviceNames.get(code) ?? code })),
    });
  }

  function getPrices(p: Record<string, string>): Reply {
    const table: Record<string, Record<string, { cost: string | number; count: number }>> = {};
    for (const [key, offer] of offers) {
      const [country = '', service = ''] = key.split('/');
      if ((p.country && p.country !== country) || (p.service && p.service !== service)) continue;
      table[country] ??= {};
      table[country][service] = { cost: cost(offer.costMicros), count: offer.stock };
    }
    return json(table);
  }

  function getNumber(p: Record<string, string>, asJson: boolean): Reply {
    if (!p.service) return { body: 'BAD_SERVICE' };
    if (p.country === undefined || p.country === '') return { body: 'BAD_COUNTRY' };
    const offer = offers.get(`${p.country}/${p.service}`);
    if (!offer || offer.stock <= 0) return { body: 'NO_NUMBERS' };
    if (p.maxPrice !== undefined) {
      const max = parseDecimalToMicros(p.maxPrice);
      if (max === undefined) return { body: 'BAD_MAX_PRICE' };
      if (max < offer.costMicros) return { body: `WRONG_MAX_PRICE:${money(offer.costMicros)}` };
    }
    if (balanceMicros < offer.costMicros) return { body: 'NO_BALANCE' };
    offer.stock -= 1;
    balanceMicros -= offer.costMicros;
    const activation: FakeActivation = {
      id: String(nextId++),
      phone: newPhone(),
      country: p.country,
      service: p.service,
      costMicros: offer.costMicros,
      createdAt: now(),
      state: 'waiting',
      sms: [],
    };
    fake.activations.set(activation.id, activation);
    if (!asJson) return { body: `ACCESS_NUMBER:${activation.id}:${activation.phone}` };
    return json({
      activationId: activation.id,
      phoneNumber: activation.phone,
      activationCost: Number(formatMicros(activation.costMicros)),
      countryCode: activation.country,
      canGetAnotherSms: '1',
      activationTime: dateText(activation.createdAt, 'moscow', ' '),
      activationOperator: 'any',
    });
  }

  function getStatus(p: Record<string, string>): Reply {
    const activation = fake.activations.get(p.id ?? '');
    if (!activation) return { body: 'NO_ACTIVATION' };
    const last = activation.sms.at(-1)?.code ?? '';
    if (activation.state === 'waiting') return { body: 'STATUS_WAIT_CODE' };
    if (activation.state === 'received') return { body: `STATUS_OK:${last}` };
    if (activation.state === 'retry') return { body: `STATUS_WAIT_RETRY:${last}` };
    return { body: 'STATUS_CANCEL' };
  }

  function setStatus(p: Record<string, string>): Reply {
    const activation = fake.activations.get(p.id ?? '');
    if (!activation) return { body: 'NO_ACTIVATION' };
    const { state } = activation;
    switch (p.status) {
      case '1':
        return state === 'waiting' ? { body: 'ACCESS_READY' } : { body: 'BAD_STATUS' };
      case '3':
        if (state !== 'received') return { body: 'BAD_STATUS' };
        activation.state = 'retry';
        return { body: 'ACCESS_RETRY_GET' };
      case '6':
        if (state === 'cancelled') return { body: 'BAD_STATUS' };
        activation.state = 'finished';
        return { body: 'ACCESS_ACTIVATION' };
      case '8':
      case '-1':
        if (state === 'cancelled') return { body: 'ACCESS_CANCEL' };
        if (state === 'finished' || activation.sms.length > 0) return { body: 'BAD_STATUS' };
        if (now() - activation.createdAt < cancelDeniedForMs) return { body: 'EARLY_CANCEL_DENIED' };
        activation.state = 'cancelled';
        balanceMicros += activation.costMicros;
        return { body: 'ACCESS_CANCEL' };
      default:
        return { body: 'BAD_STATUS' };
    }
  }

  function getActiveActivations(): Reply {
    const rows = [...fake.activations.values()]
      .filter((a) => a.state === 'waiting' || a.state === 'received' || a.state === 'retry')
      .map((a) => ({
        activationId: a.id,
        serviceCode: a.service,
        phoneNumber: a.phone,
        activationCost: Number(formatMicros(a.costMicros)),
        activationStatus: a.sms.length > 0 ? '2' : '4',
        smsCode: a.sms.length > 0 ? a.sms.map((s) => s.code) : null,
        smsText: a.sms.length > 0 ? a.sms.map((s) => s.text) : null,
        activationTime: dateText(a.createdAt, 'moscow', ' '),
        countryCode: a.country,
        canGetAnotherSms: '1',
      }));
    if (rows.length === 0) return { body: 'NO_ACTIVATIONS' };
    switch (fake.variants.activeList) {
      case 'classic':
        return json({ status: 'success', activeActivations: rows });
      case 'object':
        return json({ status: 'success', activeActivations: { ...rows } });
      case 'rows':
        return json({ status: 'success', activeActivations: { rows, size: rows.length } });
      case 'data':
        return json({ status: 'success', data: rows });
    }
  }

  function hoursOf(p: Record<string, string>): number | undefined {
    const text = p.rent_time ?? p.time ?? '4';
    return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
  }

  function getRentOffers(p: Record<string, string>): Reply {
    const hours = hoursOf(p);
    if (hours === undefined) return rentError('INVALID_TIME');
    const country = p.country ?? '0';
    const services: Record<
      string,
      { cost: string | number; quant: number | { current: number; total: number } }
    > = {};
    for (const [key, offer] of rentOffers) {
      const [offerCountry, service = ''] = key.split('/');
      if (offerCountry !== country) continue;
      const quant =
        fake.variants.rentQuant === 'number' ? offer.stock : { current: offer.stock, total: offer.stock };
      services[service] = { cost: cost(offer.costMicros * hours), quant };
    }
    // Like SMS-Activate: `countries` lists every country that rents, whichever was asked about.
    const renting = [...new Set([...rentOffers.keys()].map((key) => key.split('/')[0] as string))]
      .map(Number)
      .sort((a, b) => a - b);
    return json({ countries: { ...renting }, operators: { 0: 'any' }, services });
  }

  function getRentNumber(p: Record<string, string>): Reply {
    const hours = hoursOf(p);
    if (hours === undefined) return rentError('INVALID_TIME');
    const service = p.service ?? 'full';
    const offer = rentOffers.get(`${p.country ?? ''}/${service}`);
    if (!offer || offer.stock <= 0) return rentError('NO_NUMBERS');
    const price = offer.costMicros * hours;
    if (balanceMicros < price) return rentError('NO_BALANCE');
    offer.stock -= 1;
    balanceMicros -= price;
    const rental: FakeRental = {
      id: String(nextId++),
      phone: newPhone(),
      country: p.country ?? '',
      service,
      costMicros: price,
      createdAt: now(),
      endsAt: now() + hours * HOUR_MS,
      state: 'active',
      sms: [],
    };
    fake.rentals.set(rental.id, rental);
    return rentPhone(rental);
  }

  function rentPhone(rental: FakeRental): Reply {
    return json({
      status: 'success',
      phone: {
        id: Number(rental.id),
        endDate: dateText(rental.endsAt, fake.variants.rentDates, 'T'),
        number: rental.phone,
      },
    });
  }

  function liveRental(p: Record<string, string>): FakeRental | Reply {
    const rental = fake.rentals.get(p.id ?? '');
    if (!rental) return rentError('NO_ID_RENT');
    if (rental.state === 'active' && now() >= rental.endsAt) rental.state = 'finished';
    return rental;
  }

  function getRentStatus(p: Record<string, string>): Reply {
    const rental = liveRental(p);
    if ('body' in rental) return rental;
    if (rental.state === 'cancelled') return rentError('STATUS_CANCEL');
    if (rental.state === 'finished') return rentError('STATUS_FINISH');
    if (rental.sms.length === 0) return rentError('STATUS_WAIT_CODE');
    const ordered = fake.variants.rentNewestFirst ? [...rental.sms].reverse() : rental.sms;
    const list = ordered.map((sms) => ({
      ...(sms.smsId ? { smsId: sms.smsId } : {}),
      phoneFrom: sms.sender,
      text: sms.text,
      service: rental.service,
      date: dateText(sms.at, fake.variants.rentDates, ' '),
    }));
    const values = fake.variants.rentValues === 'array' ? list : { ...list };
    return json({ status: 'success', quantity: String(list.length), values });
  }

  function continueRent(p: Record<string, string>): Reply {
    const rental = liveRental(p);
    if ('body' in rental) return rental;
    if (rental.state !== 'active') return rentError('RENT_DIE');
    const hours = hoursOf(p);
    if (hours === undefined) return rentError('INVALID_TIME');
    const offer = rentOffers.get(`${rental.country}/${rental.service}`);
    const price = (offer?.costMicros ?? 0) * hours;
    if (balanceMicros < price) return rentError('NO_BALANCE');
    balanceMicros -= price;
    rental.costMicros += price;
    rental.endsAt += hours * HOUR_MS;
    return rentPhone(rental);
  }

  function setRentStatus(p: Record<string, string>): Reply {
    const rental = liveRental(p);
    if ('body' in rental) return rental;
    if (p.status === '1') {
      if (rental.state === 'cancelled') return rentError('ALREADY_CANCEL');
      rental.state = 'finished';
      return json({ status: 'success' });
    }
    if (p.status !== '2') return rentError('INCORECT_STATUS');
    if (rental.state === 'cancelled') return rentError('ALREADY_CANCEL');
    if (rental.state === 'finished') return rentError('ALREADY_FINISH');
    if (rental.sms.length > 0 || now() - rental.createdAt > rentCancelWindowMs)
      return rentError('CANT_CANCEL');
    rental.state = 'cancelled';
    balanceMicros += rental.costMicros;
    return json({ status: 'success' });
  }

  function newPhone(): string {
    return `79${String(nextPhone++).padStart(9, '0')}`;
  }

  function cost(value: number): string | number {
    return fake.variants.pricesAsStrings ? formatMicros(value) : Number(formatMicros(value));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.url = `http://127.0.0.1:${port}`;
  fake.handlerUrl = `${fake.url}/stubs/handler_api.php`;
  return fake;
}

function offerFor(offers: Map<string, Offer>, country: string, service: string, defaultCost: number): Offer {
  const key = `${country}/${service}`;
  let offer = offers.get(key);
  if (!offer) {
    offer = { costMicros: defaultCost, stock: 0 };
    offers.set(key, offer);
  }
  return offer;
}

function micros(decimal: string | number): number {
  const value = parseDecimalToMicros(decimal);
  if (value === undefined) throw new Error(`fake: not a decimal amount: ${decimal}`);
  return value;
}

/** Balance style: at least two decimals ("100.00", "17.154"). */
function money(value: number): string {
  const text = formatMicros(value);
  const [whole, fraction = ''] = text.split('.');
  return `${whole}.${fraction.padEnd(2, '0')}`;
}

function dateText(ms: number, style: FakeVariants['rentDates'], separator: 'T' | ' '): string {
  const shifted = style === 'utc' ? ms : ms + MOSCOW_MS;
  const text = new Date(shifted).toISOString().slice(0, 19).replace('T', separator);
  if (style === 'moscow') return text;
  return `${text}${style === 'utc' ? '+00:00' : '+03:00'}`;
}

function json(value: unknown): Reply {
  return { body: JSON.stringify(value), json: true };
}

function rentError(word: string): Reply {
  return json({ status: 'error', message: word });
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status ?? 200, {
    'content-type': reply.json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
  });
  response.end(reply.body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
