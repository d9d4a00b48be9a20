import { type Static, type TObject, type TSchema, Type } from '@sinclair/typebox';

/** One JSON API route (console or portal): what it takes and what it answers with (status 200 or `status`). */
export interface RouteSpec {
  summary: string;
  params?: TObject;
  query?: TObject;
  body?: TObject;
  reply: TSchema;
  /** The success status when it is not 200 (201 for a creation). */
  status?: number;
  /** Set on the few routes that answer something other than JSON on request (a CSV statement). */
  alsoCsv?: true;
}

export const route = <S extends RouteSpec>(spec: S): S => spec;

/** A value or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** The pattern of an id in a URL or query: the formatter words its failure "must be a whole number". */
export const WHOLE_NUMBER = '^[0-9]{1,15}$';
export const Id = Type.String({ pattern: WHOLE_NUMBER, description: 'a whole number' });
export const IdParams = Type.Object({ id: Id });

/** A text field a form may leave empty: absent, null and "" all mean "none"; trimmed by the handler. */
export const OptionalText = (maxLength: number, description?: string) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Null()], description ? { description } : {}));

/** A query parameter: every one is a string on the wire; the handler reads numbers out of it. */
export const QueryText = (description: string, maxLength = 200) =>
  Type.Optional(Type.String({ maxLength, description }));

/** A PKR amount as typed ("500", "12.50") or a whole number of PKR. */
export const PkrAmount = (description: string) =>
  Type.Union([Type.String({ maxLength: 30 }), Type.Integer()], { description });

type StaticOf<S, K extends keyof RouteSpec> =
  S extends Record<K, infer T extends TSchema> ? Static<T> : never;
type Part<S, K extends keyof RouteSpec, Name extends string> =
  S extends Record<K, TSchema> ? { [N in Name]: StaticOf<S, K> } : { [N in Name]?: never };

/** What a caller sends: the URL's parameters, the query string and the JSON body, each if the route has one. */
export type RequestOf<S> = Part<S, 'params', 'params'> &
  Partial<Part<S, 'query', 'query'>> &
  Part<S, 'body', 'body'>;
export type ReplyOf<S> = S extends { reply: infer R extends TSchema } ? Static<R> : never;
