import type { TObject, TSchema } from '@sinclair/typebox';
import type { RouteSpec } from '../../http/contract/route-spec.js';

type Json = Record<string, unknown>;

/** A TypeBox schema as plain JSON Schema (TypeBox marks its objects with symbol keys). */
const plain = (schema: TSchema): Json => JSON.parse(JSON.stringify(schema)) as Json;

function parameters(where: 'path' | 'query', schema: TObject | undefined): Json[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: plain(property),
    ...(property.description ? { description: property.description } : {}),
  }));
}

/**
 * An OpenAPI 3.1 document of a route table (contract/routes.ts), served at
 * /admin/api/openapi.json for operators who script the console or generate a client.
 */
export function openApiDocument(routes: Record<string, RouteSpec>, prefix: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const [name, spec] of Object.entries(routes)) {
    const [method = 'GET', url = '/'] = name.split(' ');
    const path = `${prefix}${url.replace(/:(\w+)/g, '{$1}')}`;
    const ok = { description: 'OK', content: { 'application/json': { schema: plain(spec.reply) } } };
    if (spec.alsoCsv) Object.assign(ok.content, { 'text/csv': { schema: { type: 'string' } } });
    paths[path] ??= {};
    paths[path][method.toLowerCase()] = {
      summary: spec.summary,
      parameters: [...parameters('path', spec.params), ...parameters('query', spec.query)],
      ...(spec.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: plain(spec.body) } } } }
        : {}),
      responses: {
        [String(spec.status ?? 200)]: ok,
        default: {
          description: 'A refusal: 400 invalid, 401 no session, 404 not found, 409 conflict',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
      ...(name === 'POST /login' ? { security: [] } : {}),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'otpget operator console API',
      version: '1',
      description: 'Sign in with POST /login; send the token as `Authorization: Bearer <token>`.',
    },
    components: {
      securitySchemes: { session: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } },
    },
    security: [{ session: [] }],
    paths,
  };
}
