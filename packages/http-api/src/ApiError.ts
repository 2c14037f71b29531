/**
 * The failures of the ocr2word API, one class per HTTP status. Each encodes
 * to exactly the contract's envelope (`Data` null, `DataTotalCount` 0), so the
 * OpenAPI document shows the real bodies and the typed client decodes them
 * back into these classes by status. `RateLimited` also carries when to retry,
 * answered as the `Retry-After` header (`RateLimitedResponse`).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HttpApiSchema } from "effect/http-api"
import { DataStatus, failure, StatusCode } from "./Envelope.ts"

const fields = { DataStatus, Data: Schema.Null }

/** 400 / 101: parameter missing, both given, malformed base64, not an image, too large, unsafe URL. */
export class InvalidParameter extends Schema.Error<InvalidParameter>("InvalidParameter")(fields, {
  httpApiStatus: 400,
  description:
    "StatusCode 101: a parameter is missing, both image parameters were given, or the image is malformed, unsupported, too large or at a refused address."
}) {}

/** 401 / 104: appkey missing or unknown. */
export class InvalidAppKey extends Schema.Error<InvalidAppKey>("InvalidAppKey")(fields, {
  httpApiStatus: 401,
  description: "StatusCode 104: the appkey is missing or unknown."
}) {}

/** 403 / 103: key expired, suspended or out of quota. */
export class AccessDenied extends Schema.Error<AccessDenied>("AccessDenied")(fields, {
  httpApiStatus: 403,
  description: "StatusCode 103: the appkey expired, was suspended or has used its quota."
}) {}

/** 404: unknown path or file. */
export class NotFound extends Schema.Error<NotFound>("NotFound")(fields, {
  httpApiStatus: 404,
  description: "StatusCode 101: no such path or file."
}) {}

/** 415: body content type not accepted. */
export class UnsupportedMediaType extends Schema.Error<UnsupportedMediaType>("UnsupportedMediaType")(fields, {
  httpApiStatus: 415,
  description: "StatusCode 101: send application/x-www-form-urlencoded, multipart/form-data or application/json."
}) {}

const rateLimitedDescription =
  "StatusCode 102: too many requests from this IP or the conversion queue is full; retry after Retry-After seconds."

/**
 * 429 / 102: too many requests from one IP, or the OCR queue is full. It
 * carries when to retry (`retryAfterSeconds`), which `RateLimitedResponse`
 * sends as the `Retry-After` header, never in the body.
 */
export class RateLimited extends Schema.Error<RateLimited>("RateLimited")(
  { ...fields, retryAfterSeconds: Schema.optionalKey(Schema.Int) },
  { httpApiStatus: 429, description: rateLimitedDescription }
) {}

/**
 * How an endpoint answers `RateLimited`: the contract's envelope as the body
 * and `retryAfterSeconds` as `Retry-After` (and back, for the typed client).
 * Use it in the endpoints' error lists in place of the class.
 */
export const RateLimitedResponse = RateLimited.pipe(
  HttpApiSchema.encodeToWithHeaders(
    {
      body: Schema.Struct(fields).annotate({ httpApiStatus: 429, description: rateLimitedDescription }),
      headers: { "retry-after": Schema.optionalKey(Schema.Int) }
    },
    {
      decode: ({ body, headers }) =>
        new RateLimited({
          ...body,
          ...(headers["retry-after"] !== undefined ? { retryAfterSeconds: headers["retry-after"] } : {})
        }),
      encode: (error) => ({
        body: { DataStatus: error.DataStatus, Data: null },
        headers: error.retryAfterSeconds !== undefined ? { "retry-after": error.retryAfterSeconds } : {}
      })
    }
  )
)

/** 500 / 110: internal error. */
export class InternalError extends Schema.Error<InternalError>("InternalError")(fields, {
  httpApiStatus: 500,
  description: "StatusCode 110: the server failed; retry later."
}) {}

/** 502 / 110: an upstream failed (the image URL's server, or a remote OCR backend). */
export class UpstreamError extends Schema.Error<UpstreamError>("UpstreamError")(fields, {
  httpApiStatus: 502,
  description: "StatusCode 110: the image URL's server or a remote OCR backend failed."
}) {}

/** 503 / 110: not ready (models loading) or shutting down. */
export class Unavailable extends Schema.Error<Unavailable>("Unavailable")(fields, {
  httpApiStatus: 503,
  description: "StatusCode 110: the service is not ready yet."
}) {}

/** Any failure of the API. */
export type ApiError =
  | InvalidParameter
  | InvalidAppKey
  | AccessDenied
  | NotFound
  | UnsupportedMediaType
  | RateLimited
  | InternalError
  | UpstreamError
  | Unavailable

type Ctor<E> = new (props: { readonly DataStatus: DataStatus; readonly Data: null }) => E

/** The custom code each failure class carries. */
const codes = new Map<abstract new (...args: never) => unknown, StatusCode>([
  [InvalidParameter, StatusCode.InvalidParameter],
  [InvalidAppKey, StatusCode.InvalidAppKey],
  [AccessDenied, StatusCode.AccessDenied],
  [NotFound, StatusCode.InvalidParameter],
  [UnsupportedMediaType, StatusCode.InvalidParameter],
  [RateLimited, StatusCode.RateLimited],
  [InternalError, StatusCode.ServiceError],
  [UpstreamError, StatusCode.ServiceError],
  [Unavailable, StatusCode.ServiceError]
])

/** A failure of the given class with its custom code, a description and the response time. */
export const make = <E extends ApiError>(kind: Ctor<E>, description: string, dateTime: string): E => {
  const envelope = failure(codes.get(kind) ?? StatusCode.ServiceError, description, dateTime)
  return new kind(envelope)
}

/** A `RateLimited` that tells the client to retry after `seconds` (the `Retry-After` header). */
export const rateLimited = (description: string, dateTime: string, seconds: number): RateLimited =>
  new RateLimited({
    ...failure(StatusCode.RateLimited, description, dateTime),
    retryAfterSeconds: Math.max(0, Math.ceil(seconds))
  })

/** The HTTP status of each failure class. */
export const httpStatus = (error: ApiError): number =>
  error instanceof InvalidParameter
    ? 400
    : error instanceof InvalidAppKey
      ? 401
      : error instanceof AccessDenied
        ? 403
        : error instanceof NotFound
          ? 404
          : error instanceof UnsupportedMediaType
            ? 415
            : error instanceof RateLimited
              ? 429
              : error instanceof UpstreamError
                ? 502
                : error instanceof Unavailable
                  ? 503
                  : 500
