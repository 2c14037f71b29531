/**
 * The failures of a call to an ocr2word service, one tagged class per custom
 * `StatusCode` of the contract (101 `BadParameter`, 102 `RateLimited`, 103
 * `AccountInArrears`, 104 `BadAppKey`, 110 `Upstream`) plus `Transport` (the
 * service could not be reached or did not answer in time) and
 * `MalformedResponse` (it answered, but not in the contract's shape).
 * `InvalidOptions` is raised before any request, by the options decoder.
 *
 * Every message says what was wrong and what to do; none contains the appkey.
 * Match on `_tag` (`Effect.catchTag`) and, where present, on `reason`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** What every service-side failure records about the response it came from. */
const answered = {
  message: Schema.String,
  /** HTTP status of the last response. */
  httpStatus: Schema.Int,
  /** Custom `StatusCode` of the envelope, when the body was one. */
  statusCode: Schema.optionalKey(Schema.Int),
  /** The envelope's `StatusDescription`, verbatim. */
  description: Schema.optionalKey(Schema.String),
  /** Requests made, retries included. */
  attempts: Schema.Int
}

/** 101: a parameter was missing, conflicting or malformed, or the image was refused. Never retried. */
export class BadParameter extends Schema.TaggedError<BadParameter>()("BadParameter", answered) {}

/** 102 (or HTTP 429): the service is throttling this client; still so after the allowed retries. */
export class RateLimited extends Schema.TaggedError<RateLimited>()("RateLimited", {
  ...answered,
  /** What the last `Retry-After` asked for, in milliseconds. */
  retryAfterMillis: Schema.optionalKey(Schema.Number)
}) {}

/** 103: the account behind the appkey is in arrears, expired, suspended or out of quota. Never retried. */
export class AccountInArrears extends Schema.TaggedError<AccountInArrears>()("AccountInArrears", answered) {}

/** 104: the appkey is missing or unknown. Never retried. */
export class BadAppKey extends Schema.TaggedError<BadAppKey>()("BadAppKey", answered) {}

/** 110 (or HTTP 5xx): the service or one of its upstreams failed; still so after the allowed retries. */
export class Upstream extends Schema.TaggedError<Upstream>()("Upstream", answered) {}

/** The service could not be reached, or did not answer in time; still so after the allowed retries. */
export class Transport extends Schema.TaggedError<Transport>()("Transport", {
  reason: Schema.Literals(["ConnectionRefused", "ConnectTimeout", "Timeout", "Network", "InvalidUrl"]),
  message: Schema.String,
  attempts: Schema.Int
}) {}

/** The service answered, but not as the contract says it would. */
export class MalformedResponse extends Schema.TaggedError<MalformedResponse>()("MalformedResponse", {
  reason: Schema.Literals(["InvalidJson", "NotEnvelope", "UnknownStatusCode", "UnexpectedStatus", "NotDocx"]),
  message: Schema.String,
  httpStatus: Schema.Int,
  attempts: Schema.Int
}) {}

/** Options that do not decode, or an input that cannot be sent. No request was made. */
export class InvalidOptions extends Schema.TaggedError<InvalidOptions>()("InvalidOptions", {
  message: Schema.String
}) {}

/** Any failure of a request to the service. */
export type ServiceError =
  | BadParameter
  | RateLimited
  | AccountInArrears
  | BadAppKey
  | Upstream
  | Transport
  | MalformedResponse

/** Any failure of the client. */
export type ClientError = ServiceError | InvalidOptions
