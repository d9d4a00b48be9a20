import type { Static, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { ValueError } from '@sinclair/typebox/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import { type ReplyOf, type RouteSpec, WHOLE_NUMBER } from './route-spec.js';

type Of<S, K extends keyof RouteSpec> =
  S extends Record<K, infer T extends TSchema> ? Static<T> : Record<string, never>;

/** A handler's validated input: the URL's parameters, the query string and the JSON body. */
export interface RouteInput<S> {
  params: Of<S, 'params'>;
  query: Of<S, 'query'>;
  body: Of<S, 'body'>;
}

/**
 * The registrar of one contract's routes (a table of `'METHOD /path': route({…})`): `handle(app,
 * name, handler)` registers a route's handler; Fastify validates the params, query and body against
 * the route's schemas before the handler runs (a refusal is a ContractViolation worded by
 * `validationMessage`; the API's error handler answers it 400 in its own shape), and the handler
 * must return the contract's reply type, or the reply it sent itself (an error, a CSV download).
 * The app or plugin must use `contractValidator` as its validator compiler.
 */
export function contractHandler<R extends Record<string, RouteSpec>>(routes: R) {
  return function handle<K extends keyof R & string>(
    api: FastifyInstance,
    name: K,
    handler: (
      input: RouteInput<R[K]>,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => Promise<ReplyOf<R[K]> | FastifyReply>,
  ): void {
    register(api, name, routes[name] as RouteSpec, handler as never);
  };
}

function register(
  api: FastifyInstance,
  name: string,
  spec: RouteSpec,
  handler: (input: RouteInput<RouteSpec>, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
): void {
  const [method, url] = name.split(' ') as [HTTPMethods, string];
  api.route({
    method,
    url,
    schema: {
      ...(spec.params ? { params: spec.params } : {}),
      ...(spec.query ? { querystring: spec.query } : {}),
      ...(spec.body ? { body: spec.body } : {}),
    },
    // A change with nothing to say may come without a body: validate it as an empty object.
    ...(spec.body
      ? {
          preValidation: async (request: FastifyRequest) => {
            request.body ??= {};
          },
        }
      : {}),
    handler: async (request, reply) => {
      const input = {
        params: request.params,
        query: request.query,
        body: request.body,
      } as RouteInput<RouteSpec>;
      const result = await handler(input, request, reply);
      if (result !== reply && spec.status) reply.status(spec.status);
      return result;
    },
  });
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a JSON object',
  array: 'a list',
  null: 'null',
};

/** What a schema accepts, in words: "a string or null", "\"pending\" or \"all\"". */
function accepts(schema: TSchema): string {
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as TSchema[]).map(accepts).join(' or ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.pattern === WHOLE_NUMBER) return 'a whole number';
  return TYPE_WORDS[String(schema.type)] ?? 'valid';
}

/** A schema refusal in words: "note must be at most 500 characters". */
export function validationMessage(error: ValueError, part: string): string {
  const field = error.path.split('/').filter(Boolean).join('.') || part;
  const { value } = error;
  if (value === undefined) return `${field} is required`;
  // Of a union ("a string or null"), the branch of the value's own type says what was wrong with it.
  const sameType = (error.schema.anyOf as TSchema[] | undefined)?.find(
    (branch) => branch.const === undefined && branch.type === (value === null ? 'null' : typeof value),
  );
  const schema = sameType ?? error.schema;
  if (typeof value === 'string' && schema.type === 'string') {
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) {
      return `${field} must be at most ${schema.maxLength} characters`;
    }
    if (typeof schema.minLength === 'number' && value.length < schema.minLength)
      return `${field} is required`;
  }
  return `${field} must be ${accepts(schema)}`;
}

/** Refusals of a contract's schemas; the API's error handler answers them 400 with the message. */
export class ContractViolation extends Error {
  override name = 'ContractViolation';
  readonly statusCode = 400;
}

const compiled = new WeakMap<TSchema, ReturnType<typeof TypeCompiler.Compile>>();

/**
 * Fastify's validator for contract routes: TypeBox's compiled checks, exact types (no coercion:
 * 1.5 is not "1.5", "true" is not true), so what a handler receives is what its type says.
 */
export function contractValidator({ schema, httpPart }: { schema: TSchema; httpPart?: string }) {
  const check = compiled.get(schema) ?? TypeCompiler.Compile(schema);
  compiled.set(schema, check);
  const part = httpPart === 'querystring' ? 'query' : (httpPart ?? 'request');
  return (data: unknown) => {
    if (check.Check(data)) return { value: data };
    const first = check.Errors(data).First();
    return { error: new ContractViolation(first ? validationMessage(first, part) : `${part} is not valid`) };
  };
}
