/** The messages of the size limits, shared by the decoders. */

const megapixels = (n: number): string => {
  const mp = n / 1_000_000
  return mp >= 10 ? `${Math.round(mp)} MP` : `${Number(mp.toPrecision(2))} MP`
}

const megabytes = (n: number): string => {
  const mb = n / (1024 * 1024)
  return mb >= 10 ? `${Math.round(mb)} MB` : `${Number(mb.toPrecision(2))} MB`
}

export const pixelLimitMessage = (width: number, height: number, maxPixels: number): string =>
  `The image is ${width}x${height} pixels (${megapixels(width * height)}), over the limit of ${megapixels(maxPixels)}: scale it down or raise maxPixels`

export const byteLimitMessage = (size: number, maxBytes: number): string =>
  `The input is ${megabytes(size)} (${size} bytes), over the limit of ${megabytes(maxBytes)}: compress or scale it down, or raise maxBytes`
