import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import SwaggerParser from '@apidevtools/swagger-parser';
import { apiCatalog } from '../../src/docs/api-catalog.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Doc = {
  openapi: string;
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: { schemas: Record<string, Schema> };
};
type Schema = {
  type?: string;
  const?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  required?: string[];
  additionalProperties?: Schema;
};

describeEachDatabase('/openapi.json', (kind) => {
  let server: TestServer;
  let doc: Doc;
  before(async () => {
    server = await startTestServer(kind);
    const response = await fetch(`${server.url}/openapi.json`);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    doc = (await response.json()) as Doc;
  });
  after(() => server.close());

  it('is a valid OpenAPI 3.1 document (validated by swagger-parser)', async () => {
    assert.equal(doc.openapi, '3.1.0');
    // validate() dereferences in place: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
    assert.equal(doc.servers[0]?.url, server.url);
  });

  it('has one path per endpoint, GET and POST, with every documented action in the action enum', () => {
    assert.deepEqual(
      Object.keys(doc.paths),
      apiCatalog.map((api) => api.path),
    );
    for (const api of apiCatalog) {
      const get = doc.paths[api.path]?.get as {
        parameters: Array<{ name: string; schema: { enum?: string[] } }>;
      };
      const action = get.parameters.find((p) => p.name === 'action');
      assert.deepEqual(
        action?.schema.enum,
        api.actions.map((a) => a.name),
        api.path,
      );
      for (const a of api.actions) {
        for (const p of a.params)
          assert.ok(
            get.parameters.some((q) => q.name === p.name),
            `${a.name} ${p.name}`,
          );
      }
      assert.ok(doc.paths[api.path]?.post, `${api.path} POST`);
    }
  });

  it('documents the optional wait and idempotency_key parameters where they work', () => {
    const paramsOf = (path: string) => {
      const get = doc.paths[path]?.get as { parameters: Array<{ name: string }> } | undefined;
      return (get?.parameters ?? []).map((p) => p.name);
    };
    for (const path of ['/stubs/handler_api.php', '/stubs/cheap_handler.php', '/stubs/email_handler.php']) {
      assert.ok(paramsOf(path).includes('wait'), path);
    }
    for (const path of apiCatalog.map((api) => api.path)) {
      assert.ok(paramsOf(path).includes('idempotency_key'), path);
    }
    const getStatus = apiCatalog.find((api) => api.id === 'sms')?.actions.find((a) => a.name === 'getStatus');
    assert.deepEqual(
      getStatus?.params.map((p) => [p.name, p.required]),
      [
        ['id', true],
        ['wait', false],
      ],
    );
  });

  it('gives plain text for the text APIs, with every documented reply and error word as an example', () => {
    type Responses = Record<
      string,
      { content: Record<string, { examples: Record<string, { value: unknown }> }> }
    >;
    const responses = (doc.paths['/stubs/handler_api.php']?.get?.responses ?? {}) as Responses;
    const content = responses['200']?.content;
    const values = Object.values(content?.['text/plain']?.examples ?? {}).map((e) => e.value);
    for (const word of [
      'ACCESS_BALANCE:500.00',
      'STATUS_WAIT_CODE',
      'ACCESS_READY',
      'NO_BALANCE',
      'BAD_KEY',
    ]) {
      assert.ok(values.includes(word), word);
    }
    assert.ok(content?.['application/json'], 'getCountries/getServices answer JSON');
  });

  it('types JSON fields exactly as the reference: "200" strings, integer hours, numeric email prices', () => {
    const s = doc.components.schemas;
    const rent = s['rental.rentNumber']?.properties;
    assert.deepEqual(rent?.status, { type: 'string', const: '200' });
    assert.equal(rent?.duration_hours?.type, 'integer');
    assert.equal(rent?.price_paid?.type, 'string');
    assert.equal(rent?.order_id?.type, 'string');
    const services = s['email.getEmailServices.1']?.properties;
    assert.equal(services?.server?.type, 'integer');
    assert.equal(services?.services?.items?.properties?.price?.type, 'number');
    assert.equal(services?.services?.items?.properties?.count?.type, 'integer');
    assert.equal(s['email.buyEmail']?.properties?.balance?.type, 'number');
    assert.equal(s['email.buyEmail']?.properties?.email_id?.type, 'string');
    assert.equal(
      s['rental.getAvailableRentals']?.properties?.available?.items?.properties?.available?.type,
      'integer',
    );
    assert.equal(s['sms.getCountries']?.additionalProperties?.type, 'array');
    assert.deepEqual(s['email.getEmailCode.1']?.properties?.status, { type: 'string', const: '202' });
    assert.deepEqual(s['rental.error']?.required, ['status', 'message']);
    assert.equal(s['sms.getNumberV2']?.properties?.activationCost?.type, 'string');
    assert.equal(
      s['sms.getPrices']?.additionalProperties?.additionalProperties?.properties?.cost?.type,
      'number',
    );
    assert.ok(s['sms.getStatusV2.1'], 'getStatusV2 described with a nullable sms');
  });

  it('describes live replies: a real getRentalCountries and buyEmail-less email error match their schemas', async () => {
    const { apiKey } = await server.newAccount(0);
    const balance = await server.get('/stubs/handler_api.php', { api_key: apiKey, action: 'getBalance' });
    assert.match(balance, /^ACCESS_BALANCE:\d+\.\d\d$/);
    const error = await server.getJson('/stubs/email_handler.php', {
      api_key: apiKey,
      action: 'getEmailCode',
    });
    const schema = doc.components.schemas['email.error'];
    for (const field of schema?.required ?? []) assert.equal(typeof error[field], 'string', field);
  });
});
