/**
 * The API definition: its OpenAPI 3.1 document lists the contract endpoint
 * with the three body types and every failure status, the failures encode to
 * exactly the contract's envelope, and ResponseDateTime is formatted in the
 * configured time zone.
 */
import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { OpenApi } from "effect/http-api"
import { Api, ApiError, Envelope } from "../src/index.ts"

describe("Api", () => {
  const spec = OpenApi.fromApi(Api.Api)

  it("is an OpenAPI 3.1 document of the contract endpoint", () => {
    assert.strictEqual(spec.openapi, "3.1.0")
    const convert = spec.paths["/imagerecognition/ocr2word"]!.post!
    assert.deepStrictEqual(Object.keys(convert.requestBody!.content).sort(), [
      "application/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data"
    ])
    assert.deepStrictEqual(Object.keys(convert.responses).sort(), [
      "200",
      "400",
      "401",
      "403",
      "415",
      "429",
      "500",
      "502",
      "503"
    ])
    assert.strictEqual(convert.parameters[0]!.name, "appkey")
    assert.containsAllKeys(spec.paths, [
      "/imagerecognition/ocr2word/demo",
      "/preview/ocr2word",
      "/files/{file}",
      "/healthz",
      "/readyz",
      "/metrics"
    ])
  })

  it("documents the envelope fields by their contract names", () => {
    const schemas = spec.components.schemas as Record<string, any>
    assert.deepStrictEqual(Object.keys(schemas.Ocr2WordResponse.properties), ["DataStatus", "Data"])
    assert.deepStrictEqual(Object.keys(schemas.DataStatus.properties), [
      "StatusCode",
      "StatusDescription",
      "ResponseDateTime",
      "DataTotalCount"
    ])
    assert.deepStrictEqual(Object.keys(schemas.Ocr2WordData.properties), ["SourceImageUrl", "ResultWordFileUrl"])
  })
})

describe("ApiError", () => {
  it.effect("a failure encodes to exactly {DataStatus, Data: null} with its custom code", () =>
    Effect.gen(function* () {
      const error = ApiError.make(ApiError.InvalidAppKey, "appkey is missing", "2026-11-24 14:03:22")
      const encoded = yield* Schema.encodeEffect(ApiError.InvalidAppKey)(error)
      assert.deepStrictEqual(encoded, {
        DataStatus: {
          StatusCode: 104,
          StatusDescription: "APPKEY 错误: appkey is missing",
          ResponseDateTime: "2026-11-24 14:03:22",
          DataTotalCount: 0
        },
        Data: null
      })
      assert.strictEqual(ApiError.httpStatus(error), 401)
      const codes = [
        [ApiError.InvalidParameter, 400, 101],
        [ApiError.AccessDenied, 403, 103],
        [ApiError.RateLimited, 429, 102],
        [ApiError.InternalError, 500, 110],
        [ApiError.UpstreamError, 502, 110]
      ] as const
      for (const [kind, status, code] of codes) {
        const e = ApiError.make(kind, "x", "2026-01-01 00:00:00")
        assert.strictEqual(ApiError.httpStatus(e), status)
        assert.strictEqual(e.DataStatus.StatusCode, code)
      }
    })
  )
})

describe("RateLimited", () => {
  it.effect("answers with the envelope as the body and its seconds as Retry-After, documented in OpenAPI", () =>
    Effect.gen(function* () {
      const error = ApiError.rateLimited("slow down", "2026-11-24 14:03:22", 7)
      assert.strictEqual(ApiError.httpStatus(error), 429)
      const encoded = yield* Schema.encodeEffect(ApiError.RateLimitedResponse)(error)
      assert.deepStrictEqual(encoded, {
        body: {
          DataStatus: {
            StatusCode: 102,
            StatusDescription: "请求频率受限: slow down",
            ResponseDateTime: "2026-11-24 14:03:22",
            DataTotalCount: 0
          },
          Data: null
        },
        headers: { "retry-after": 7 }
      })
      const decoded = yield* Schema.decodeEffect(ApiError.RateLimitedResponse)(encoded)
      assert.instanceOf(decoded, ApiError.RateLimited)
      assert.strictEqual(decoded.retryAfterSeconds, 7)
      const spec = OpenApi.fromApi(Api.Api)
      const limited = spec.paths["/imagerecognition/ocr2word"]!.post!.responses["429"] as any
      assert.containsAllKeys(limited.headers, ["retry-after"])
      assert.deepStrictEqual(Object.keys(limited.content["application/json"].schema.properties), ["DataStatus", "Data"])
    })
  )
})

describe("Envelope", () => {
  it("formats ResponseDateTime as yyyy-MM-dd HH:mm:ss in the given time zone", () => {
    const date = new Date("2026-11-24T06:03:22Z")
    assert.strictEqual(Envelope.formatDateTime(date, "Asia/Shanghai"), "2026-11-24 14:03:22")
    assert.strictEqual(Envelope.formatDateTime(date, "UTC"), "2026-11-24 06:03:22")
    assert.strictEqual(
      Envelope.formatDateTime(new Date("2026-11-24T16:00:00Z"), "Asia/Shanghai"),
      "2026-11-25 00:00:00"
    )
  })

  it("builds the success envelope of the seed", () => {
    assert.deepStrictEqual(Envelope.success({ ResultWordFileUrl: "https://x/files/a.docx" }, "2026-11-24 14:03:22"), {
      DataStatus: {
        StatusCode: 100,
        StatusDescription: "正常返回",
        ResponseDateTime: "2026-11-24 14:03:22",
        DataTotalCount: 1
      },
      Data: { ResultWordFileUrl: "https://x/files/a.docx" }
    })
  })
})
