/**
 * The shape of the API catalogue: a declarative description of every customer endpoint, its
 * actions, parameters, documented replies and errors, transcribed from the developer reference.
 * The docs site renders it and a test holds it against the live wire modules, so the two cannot
 * drift apart; wire modules may import their reply strings from the error tables.
 */

/** One request parameter of an action. */
export interface ParamDoc {
  name: string;
  type: 'string' | 'int';
  required: boolean;
  description: string;
  /** The value the reference's example uses; pre-filled in code samples and "try it". */
  example: string;
}

/** A documented reply of an action, e.g. the success body or a waiting status. */
export interface ReplyDoc {
  /** Heading as the reference labels it ("SUCCESS", "WAITING", …). */
  label: string;
  /** The body exactly as the reference prints it (plain text, or JSON text). */
  body: string;
  /** For replies with variable parts: a regular expression every real reply of this kind matches. */
  shape?: string;
  /**
   * Objects in the body whose keys are all SMS-Activate service codes (`tg`, `tg_0`) are maps,
   * as numeric-keyed ones always are: the keys vary with the catalogue.
   */
  codeKeyedMaps?: boolean;
}

/** A documented failure: a plain-text word, or a JSON status with its message. */
export interface ErrorDoc {
  /** The plain-text reply, or the JSON `message` (prefix when the reference appends detail). */
  reply: string;
  /** JSON APIs only: the `status` field, a string as on the wire. */
  status?: string;
  when: string;
  /**
   * When the reference sums several messages up in one row ("Server 1/2 error: …"), a regular
   * expression every real message of the row matches; tests hold live replies to it.
   */
  pattern?: string;
}

/** One action of an endpoint. */
export interface ActionDoc {
  name: string;
  title: string;
  summary: string;
  params: ParamDoc[];
  replies: ReplyDoc[];
  /** Keys of the endpoint's error table that this action can answer with, beyond the common ones. */
  errors: string[];
  /** The action spends balance: "try it" asks for confirmation first. */
  spends?: boolean;
  /** Extra notes (status code tables, polling advice), one paragraph each. */
  notes?: string[];
}

/** A customer API endpoint: one path, one reply format, its actions and its error table. */
export interface ApiDoc {
  /** Short id used in docs URLs: /docs/<id>. */
  id: 'sms' | 'cheap' | 'rental' | 'email';
  title: string;
  path: string;
  /** text: plain-text replies (with the JSON exceptions listed in `jsonActions`); json: JSON everywhere. */
  format: 'text' | 'json';
  /** Text APIs whose listed actions answer in JSON. */
  jsonActions?: string[];
  intro: string[];
  actions: ActionDoc[];
  /** Every documented failure of the endpoint, keyed by a stable name wire modules can import. */
  errors: Readonly<Record<string, ErrorDoc>>;
  /**
   * The error-table keys for a bad key, a blocked account, an unknown action, a caller over its
   * rate limit and an unexpected server failure (the last two are otpget's, not the reference's).
   */
  common: { badKey: string; blocked: string; badAction: string; rateLimited: string; internalError: string };
}
