/**
 * The response envelope of the ocr2word contract (CONTRACT.md and the Chinese
 * original): every answer, success or failure, is
 * `{ DataStatus: { StatusCode, StatusDescription, ResponseDateTime, DataTotalCount }, Data }`.
 * Use these schemas to build or read responses; `ApiError` holds the failure
 * classes, one per HTTP status.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/** The custom `StatusCode` values of the contract. */
export const StatusCode = {
  /** 正常返回: success. */
  Ok: 100,
  /** 参数错误: missing, conflicting or malformed parameter; not an image; too large. */
  InvalidParameter: 101,
  /** 请求频率受限: too many requests from one client IP, or the OCR queue is full. */
  RateLimited: 102,
  /** 账号欠费: key expired, suspended or out of quota. */
  AccessDenied: 103,
  /** APPKEY 错误: key missing or unknown. */
  InvalidAppKey: 104,
  /** 接口响应错误: internal or upstream failure. */
  ServiceError: 110
} as const
export type StatusCode = (typeof StatusCode)[keyof typeof StatusCode]

/** The short descriptions of the original, used as the first words of every description. */
export const StatusText: Readonly<Record<StatusCode, string>> = {
  100: "正常返回",
  101: "参数错误",
  102: "请求频率受限",
  103: "账号欠费",
  104: "APPKEY 错误",
  110: "接口响应错误"
}

/** `DataStatus` of every response. */
export const DataStatus = Schema.Struct({
  StatusCode: Schema.Int,
  StatusDescription: Schema.String,
  /** `yyyy-MM-dd HH:mm:ss` in the server's time zone (Asia/Shanghai by default). */
  ResponseDateTime: Schema.String,
  /** 1 on success, 0 on failure. */
  DataTotalCount: Schema.Int
}).annotate({ identifier: "DataStatus" })
export type DataStatus = typeof DataStatus.Type

/** `Data` of a successful conversion. */
export const ResultData = Schema.Struct({
  /** The submitted image URL; absent for base64 and file uploads. */
  SourceImageUrl: Schema.optionalKey(Schema.String),
  /** Absolute URL of the stored .docx; it stays downloadable permanently. */
  ResultWordFileUrl: Schema.String
}).annotate({ identifier: "Ocr2WordData" })
export type ResultData = typeof ResultData.Type

/** A successful conversion (HTTP 200, StatusCode 100). */
export const Ocr2WordResponse = Schema.Struct({
  DataStatus,
  Data: ResultData
}).annotate({ identifier: "Ocr2WordResponse" })
export type Ocr2WordResponse = typeof Ocr2WordResponse.Type

/** A failure: `Data` is null and `DataTotalCount` 0. */
export const ErrorEnvelope = Schema.Struct({
  DataStatus,
  Data: Schema.Null
}).annotate({ identifier: "ErrorEnvelope" })
export type ErrorEnvelope = typeof ErrorEnvelope.Type

const pad = (n: number) => String(n).padStart(2, "0")

/**
 * `yyyy-MM-dd HH:mm:ss` of `date` in `timeZone` (an IANA name such as
 * `Asia/Shanghai`), the format of `ResponseDateTime`.
 */
export const formatDateTime = (date: Date, timeZone: string): string => {
  const parts = new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hourCycle: "h23"
  }).formatToParts(date)
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "00"
  return `${get("year")}-${get("month")}-${get("day")} ${pad(Number(get("hour")))}:${get("minute")}:${get("second")}`
}

/** The success envelope. */
export const success = (data: ResultData, dateTime: string): Ocr2WordResponse => ({
  DataStatus: {
    StatusCode: StatusCode.Ok,
    StatusDescription: StatusText[StatusCode.Ok],
    ResponseDateTime: dateTime,
    DataTotalCount: 1
  },
  Data: data
})

/** A failure envelope: the description is prefixed with the code's short text. */
export const failure = (code: StatusCode, description: string, dateTime: string): ErrorEnvelope => ({
  DataStatus: {
    StatusCode: code,
    StatusDescription: `${StatusText[code]}: ${description}`,
    ResponseDateTime: dateTime,
    DataTotalCount: 0
  },
  Data: null
})
