/**
 * Reading one HTTP response of the conversion endpoint: either the Word URL,
 * or the client error it stands for and whether it is worth retrying.
 *
 * The custom `StatusCode` decides first, because the commercial service may
 * answer HTTP 200 with a failure code (its documentation says to read the
 * custom code "together with" the HTTP status). The HTTP status decides when
 * the body is not the envelope (a CDN's 429 page, a proxy's 502). 400, 401 and
 * 403 are never retried, whatever the body says: repeating the same request
 * cannot fix a bad parameter, key or account.
 */
import { Envelope } from "@ocr2word/http-api"
import { Schema } from "effect"
import * as ClientError from "../ClientError.ts"

const Code = Envelope.StatusCode

/**
 * The parts of the envelope the client relies on, read leniently (other fields
 * ignored, `Data` optional) so a service that differs in details still works.
 */
const LenientEnvelope = Schema.Struct({
  DataStatus: Schema.Struct({
    StatusCode: Schema.Number,
    StatusDescription: Schema.optionalKey(Schema.String)
  }),
  Data: Schema.optionalKey(
    Schema.NullOr(
      Schema.Struct({
        SourceImageUrl: Schema.optionalKey(Schema.NullOr(Schema.String)),
        ResultWordFileUrl: Schema.optionalKey(Schema.NullOr(Schema.String))
      })
    )
  )
})
const decodeEnvelope = Schema.decodeUnknownOption(LenientEnvelope)

/** A successful conversion as the service reported it. */
export interface Converted {
  readonly wordUrl: string
  readonly sourceImageUrl?: string
  readonly description?: string
}

export type Outcome =
  | { readonly _tag: "Ok"; readonly value: Converted }
  | {
      readonly _tag: "Fail"
      readonly retry: boolean
      readonly retryAfterMillis?: number
      readonly error: (attempts: number) => ClientError.ServiceError
    }

const NEVER_RETRIED = new Set([400, 401, 403])

const isTransientStatus = (status: number) => status === 429 || status >= 500

const excerpt = (text: string): string => {
  const flat = text.replace(/\s+/g, " ").trim()
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat
}

/**
 * Classify a response. `endpoint` names the request in messages (without the
 * query string, so never the appkey); `retryAfterMillis` is the parsed
 * `Retry-After` header.
 */
export const classify = (
  endpoint: string,
  status: number,
  body: string,
  retryAfterMillis: number | undefined
): Outcome => {
  let json: unknown
  let isJson = true
  try {
    json = JSON.parse(body)
  } catch {
    isJson = false
  }
  const envelope = isJson ? decodeEnvelope(json) : undefined
  const retryAfter = retryAfterMillis !== undefined ? { retryAfterMillis } : {}
  const fail = (retry: boolean, error: (attempts: number) => ClientError.ServiceError): Outcome => ({
    _tag: "Fail",
    retry: retry && !NEVER_RETRIED.has(status),
    ...retryAfter,
    error
  })

  if (envelope !== undefined && envelope._tag === "Some") {
    const { DataStatus, Data } = envelope.value
    const code = DataStatus.StatusCode
    const description = DataStatus.StatusDescription
    const said = description !== undefined && description.length > 0 ? `: ${description}` : ""
    const fields = (attempts: number) => ({
      httpStatus: status,
      statusCode: code,
      ...(description !== undefined ? { description } : {}),
      attempts
    })
    switch (code) {
      case Code.Ok: {
        const wordUrl = Data?.ResultWordFileUrl
        if (status >= 200 && status < 300 && typeof wordUrl === "string" && wordUrl.length > 0) {
          const source = Data?.SourceImageUrl
          return {
            _tag: "Ok",
            value: {
              wordUrl,
              ...(typeof source === "string" ? { sourceImageUrl: source } : {}),
              ...(description !== undefined ? { description } : {})
            }
          }
        }
        return fail(
          false,
          (attempts) =>
            new ClientError.MalformedResponse({
              reason: "NotEnvelope",
              message: `${endpoint} answered HTTP ${status} with StatusCode 100 but no Data.ResultWordFileUrl; the service does not follow the ocr2word contract`,
              httpStatus: status,
              attempts
            })
        )
      }
      case Code.InvalidParameter:
        return fail(
          false,
          (attempts) =>
            new ClientError.BadParameter({
              message: `The service refused the request (101 bad parameter)${said}. Check the image URL, base64 or file and send exactly one of them`,
              ...fields(attempts)
            })
        )
      case Code.RateLimited:
        return fail(
          true,
          (attempts) =>
            new ClientError.RateLimited({
              message: `The service is rate limiting this client (102)${said}. Lower the request rate (qps option) or retry later`,
              ...fields(attempts),
              ...retryAfter
            })
        )
      case Code.AccessDenied:
        return fail(
          false,
          (attempts) =>
            new ClientError.AccountInArrears({
              message: `The account of this appkey cannot be used (103: in arrears, expired, suspended or out of quota)${said}. Renew or top up the account`,
              ...fields(attempts)
            })
        )
      case Code.InvalidAppKey:
        return fail(
          false,
          (attempts) =>
            new ClientError.BadAppKey({
              message: `The service rejected the appkey (104)${said}. Pass the key from the developer centre with the appkey option`,
              ...fields(attempts)
            })
        )
      case Code.ServiceError:
        return fail(
          true,
          (attempts) =>
            new ClientError.Upstream({
              message: `The service failed (110, HTTP ${status})${said}. Retry later or use another engine`,
              ...fields(attempts)
            })
        )
    }
    if (!isTransientStatus(status)) {
      return fail(
        false,
        (attempts) =>
          new ClientError.MalformedResponse({
            reason: "UnknownStatusCode",
            message: `${endpoint} answered HTTP ${status} with StatusCode ${code}, which the ocr2word contract does not define${said}`,
            httpStatus: status,
            attempts
          })
      )
    }
  }

  // Not the envelope: go by the HTTP status alone.
  const what = !isJson
    ? body.trim().length === 0
      ? "an empty body"
      : `a body that is not JSON ('${excerpt(body)}')`
    : "JSON that is not the ocr2word envelope"
  const plain = (attempts: number) => ({ httpStatus: status, attempts })
  if (status === 429) {
    return fail(
      true,
      (attempts) =>
        new ClientError.RateLimited({
          message: `${endpoint} answered HTTP 429 (too many requests). Lower the request rate (qps option) or retry later`,
          ...plain(attempts),
          ...retryAfter
        })
    )
  }
  if (status >= 500) {
    return fail(
      true,
      (attempts) =>
        new ClientError.Upstream({
          message: `${endpoint} answered HTTP ${status} with ${what}. The service or a proxy in front of it failed; retry later`,
          ...plain(attempts)
        })
    )
  }
  if (status === 400) {
    return fail(
      false,
      (attempts) =>
        new ClientError.BadParameter({
          message: `${endpoint} answered HTTP 400 with ${what}. Check the image parameter`,
          ...plain(attempts)
        })
    )
  }
  if (status === 401) {
    return fail(
      false,
      (attempts) =>
        new ClientError.BadAppKey({
          message: `${endpoint} answered HTTP 401 with ${what}. Check the appkey option`,
          ...plain(attempts)
        })
    )
  }
  if (status === 403) {
    return fail(
      false,
      (attempts) =>
        new ClientError.AccountInArrears({
          message: `${endpoint} answered HTTP 403 with ${what}. Check that the appkey's account is active and has quota`,
          ...plain(attempts)
        })
    )
  }
  if (status >= 200 && status < 300) {
    return fail(
      false,
      (attempts) =>
        new ClientError.MalformedResponse({
          reason: isJson ? "NotEnvelope" : "InvalidJson",
          message: `${endpoint} answered HTTP ${status} with ${what}; is the base URL an ocr2word service?`,
          httpStatus: status,
          attempts
        })
    )
  }
  return fail(
    false,
    (attempts) =>
      new ClientError.MalformedResponse({
        reason: "UnexpectedStatus",
        message: `${endpoint} answered HTTP ${status} with ${what}. ${status === 404 ? "Check the base URL and path" : "Check the base URL: it does not look like an ocr2word service"}`,
        httpStatus: status,
        attempts
      })
  )
}
