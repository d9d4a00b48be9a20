import type { FastifyInstance } from 'fastify';
import { type ActionDoc, type ApiDoc, apiCatalog, type ParamDoc } from './api-catalog.js';
import {
  describedReplies,
  exampleValue,
  inferSchema,
  type JsonSchema,
  parseExampleBody,
} from './openapi-schemas.js';

/**
 * The OpenAPI 3.1 description of the four customer APIs, built from the same catalogue the docs
 * site renders. Each endpoint is one path whose `action` parameter picks the operation, as on the
 * wire; every action's parameters, documented replies and errors appear as examples and schemas,
 * and `x-actions` lists them per action for generators that want the finer grain.
 */
export type OpenApiDocument = Record<string, unknown>;

const paramSchema = (p: ParamDoc): JsonSchema =>
  p.type === 'int' ? { type: 'integer' } : { type: 'string' };

/** Every parameter any action takes, once, described per action that uses it. */
function unionParams(api: ApiDoc): Array<{ name: string; schema: JsonSchema; description: string }> {
  const byName = new Map<string, { schema: JsonSchema; lines: string[] }>();
  for (const action of api.actions) {
    for (const p of action.params) {
      const entry = byName.get(p.name) ?? { schema: paramSchema(p), lines: [] };
      entry.lines.push(`${action.name}${p.required ? ' (required)' : ''}: ${p.description}`);
      byName.set(p.name, entry);
    }
  }
  return [...byName].map(([name, e]) => ({ name, schema: e.schema, description: e.lines.join('\n') }));
}

function isJsonAction(api: ApiDoc, action: ActionDoc): boolean {
  return api.format === 'json' || (api.jsonActions ?? []).includes(action.name);
}

/** The schemas of an action's documented JSON replies, as component names → schemas. */
function replySchemas(api: ApiDoc, action: ActionDoc): Array<[string, JsonSchema]> {
  const described = describedReplies[`${api.id}.${action.name}`];
  if (described) return described.map((s, i) => [`${api.id}.${action.name}.${i + 1}`, s]);
  const out: Array<[string, JsonSchema]> = [];
  action.replies.forEach((reply, i) => {
    const parsed = parseExampleBody(reply.body);
    if (parsed === undefined) return;
    const schema = {
      ...inferSchema(parsed, { codeKeys: reply.codeKeyedMaps === true }),
      description: `${action.name}: ${reply.label}`,
    };
    const suffix = action.replies.length > 1 ? `.${i + 1}` : '';
    out.push([`${api.id}.${action.name}${suffix}`, schema]);
  });
  return out;
}

function errorSchema(api: ApiDoc): JsonSchema {
  const statuses = [...new Set(Object.values(api.errors).flatMap((e) => (e.status ? [e.status] : [])))];
  return {
    type: 'object',
    description: 'A failure (or a waiting/cancelled status): status is a string, as on the wire',
    properties: { status: { type: 'string', enum: [...statuses, '429'] }, message: { type: 'string' } },
    required: ['status', 'message'],
  };
}

function buildPath(api: ApiDoc, schemas: Record<string, JsonSchema>): Record<string, unknown> {
  const params = unionParams(api);
  const textExamples: Record<string, { summary: string; value: string }> = {};
  const jsonExamples: Record<string, { summary: string; value: unknown }> = {};
  const jsonRefs: JsonSchema[] = [];
  for (const action of api.actions) {
    action.replies.forEach((reply, i) => {
      const key = `${action.name}-${i + 1}`;
      const summary = `${action.name}: ${reply.label}`;
      const parsed = isJsonAction(api, action) ? parseExampleBody(reply.body) : undefined;
      if (parsed !== undefined) jsonExamples[key] = { summary, value: exampleValue(parsed) };
      else if (!isJsonAction(api, action)) textExamples[key] = { summary, value: reply.body };
    });
    if (isJsonAction(api, action)) {
      for (const [name, schema] of replySchemas(api, action)) {
        schemas[name] = schema;
        jsonRefs.push({ $ref: `#/components/schemas/${name}` });
      }
    }
  }
  if (api.format === 'text') {
    for (const [key, error] of Object.entries(api.errors)) {
      textExamples[`error-${key}`] = { summary: error.when, value: error.reply };
    }
  } else {
    schemas[`${api.id}.error`] = errorSchema(api);
    jsonRefs.push({ $ref: `#/components/schemas/${api.id}.error` });
    for (const [key, error] of Object.entries(api.errors)) {
      jsonExamples[`error-${key}`] = {
        summary: error.when,
        value: { status: error.status ?? '', message: error.reply },
      };
    }
  }
  const content: Record<string, unknown> = {};
  if (api.format === 'text') {
    content['text/plain'] = { schema: { type: 'string' }, examples: textExamples };
  }
  if (jsonRefs.length > 0) {
    content['application/json'] = { schema: { anyOf: jsonRefs }, examples: jsonExamples };
  }
  const actionNames = api.actions.map((a) => a.name);
  const description = [
    ...api.intro,
    'Every reply is HTTP 200; the body says what happened. A rate-limited call also answers 200, with a Retry-After header.',
  ].join('\n\n');
  const responses = {
    '200': {
      description: api.format === 'text' ? 'Plain-text reply (JSON for the listed actions)' : 'JSON reply',
      headers: {
        'Retry-After': {
          description: 'Seconds to wait, on a rate-limited call',
          schema: { type: 'integer' },
        },
      },
      content,
    },
  };
  const common = {
    tags: [api.title],
    description,
    responses,
    'x-actions': api.actions.map((a) => ({
      name: a.name,
      title: a.title,
      summary: a.summary,
      spends: a.spends === true,
      params: a.params.map((p) => ({ name: p.name, type: p.type, required: p.required, example: p.example })),
      replies: a.replies.map((r) => ({
        label: r.label,
        body: r.body,
        ...(r.shape ? { shape: r.shape } : {}),
      })),
      errors: a.errors.map((key) => ({ key, ...api.errors[key] })),
    })),
  };
  const formProperties: Record<string, JsonSchema> = {
    api_key: { type: 'string' },
    action: { type: 'string', enum: actionNames },
  };
  for (const p of params) formProperties[p.name] = { ...p.schema, description: p.description };
  return {
    get: {
      ...common,
      operationId: `${api.id}Get`,
      summary: `${api.title} (GET)`,
      parameters: [
        { name: 'api_key', in: 'query', required: true, schema: { type: 'string' } },
        {
          name: 'action',
          in: 'query',
          required: true,
          description: 'The operation; see x-actions for each one’s parameters and replies',
          schema: { type: 'string', enum: actionNames },
        },
        ...params.map((p) => ({
          name: p.name,
          in: 'query',
          required: false,
          description: p.description,
          schema: p.schema,
        })),
      ],
    },
    post: {
      ...common,
      operationId: `${api.id}Post`,
      summary: `${api.title} (POST form)`,
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: { type: 'object', properties: formProperties, required: ['api_key', 'action'] },
          },
        },
      },
    },
  };
}

/** Builds the document; `serverUrl` is the address the caller reached us at. */
export function buildOpenApi(serverUrl?: string, catalog: readonly ApiDoc[] = apiCatalog): OpenApiDocument {
  const schemas: Record<string, JsonSchema> = {};
  const paths: Record<string, unknown> = {};
  for (const api of catalog) paths[api.path] = buildPath(api, schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'otpget customer APIs',
      version: '1.0.0',
      description:
        'SMS OTP numbers, cheap numbers, rental numbers and temporary email codes from a prepaid PKR wallet. Prices and balances are PKR with two decimals.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    tags: catalog.map((api) => ({ name: api.title })),
    paths,
    components: { schemas },
  };
}

/** Serves GET /openapi.json; the document is built once per base URL seen. */
export function registerOpenApi(app: FastifyInstance): void {
  const cache = new Map<string, string>();
  app.get('/openapi.json', async (request, reply) => {
    const base = `${request.protocol}://${request.host}`;
    let body = cache.get(base);
    if (body === undefined) {
      body = JSON.stringify(buildOpenApi(base));
      if (cache.size < 16) cache.set(base, body);
    }
    return reply.type('application/json; charset=utf-8').send(body);
  });
}
