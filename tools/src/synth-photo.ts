/**
 * `photo` pages: a rendered page as a phone photographs it. The page is
 * warped by a strong perspective (one edge foreshortened by 4-12 %, each
 * corner jittered, turned by up to 7 degrees) onto a larger frame with a
 * background around it (wood, desk, cloth), a soft drop shadow under the
 * page, uneven light (a gradient, the shadow of a hand or phone, sometimes a
 * glare), a warm colour cast, blur, sensor noise and JPEG.
 *
 * Stronger than `synth-augment.ts` (which keeps the page filling the frame
 * and tilts it by at most 4 %): this is the "photo of a page" case of issue
 * 10. The map from page to photo is returned, so ground-truth boxes follow
 * the warp (the axis-aligned box of the moved corners, as in the augment).
 *
 * @since 0.1.0
 */
import type { Raster } from "@ocr2word/core"
import {
  type Augmentation,
  type Augmented,
  addNoise,
  applyHomography,
  decode,
  type Point,
  solve3,
  squareToQuad,
  toSharp
} from "./synth-augment.ts"
import type { Rng } from "./synth-corpus.ts"

const BACKGROUNDS: ReadonlyArray<{ name: string; rgb: readonly [number, number, number]; grain: number }> = [
  { name: "wood", rgb: [146, 102, 66], grain: 22 },
  { name: "light wood", rgb: [196, 160, 118], grain: 16 },
  { name: "grey desk", rgb: [118, 120, 126], grain: 6 },
  { name: "dark cloth", rgb: [44, 50, 62], grain: 8 },
  { name: "white table", rgb: [214, 211, 204], grain: 4 }
]

const smooth = (t: number) => (t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t))

/** Photograph a clean page (PNG bytes). */
export const photograph = async (png: Uint8Array, rng: Rng): Promise<Augmented> => {
  const page = await decode(png)
  const { width: w, height: h } = page
  const applied: Augmentation = {}
  const mx = rng.range(0.07, 0.18)
  const my = rng.range(0.07, 0.18)
  const W = Math.round(w * (1 + 2 * mx))
  const H = Math.round(h * (1 + 2 * my))
  // The page's corners in the frame: foreshortened along one edge, jittered, turned.
  const fore = rng.range(0.04, 0.12)
  const edge = rng.int(0, 3)
  const j = () => rng.range(-0.03, 0.03)
  const base: Array<Point> = [
    { x: mx * w, y: my * h },
    { x: mx * w + w, y: my * h },
    { x: mx * w + w, y: my * h + h },
    { x: mx * w, y: my * h + h }
  ]
  const inward: Array<Point> = base.map((p, i) => {
    // Edge 0 top, 1 right, 2 bottom, 3 left: its two corners move towards each other.
    const onEdge = edge === 0 ? i <= 1 : edge === 1 ? i === 1 || i === 2 : edge === 2 ? i >= 2 : i === 0 || i === 3
    const dx = onEdge && (edge === 0 || edge === 2) ? (i === 0 || i === 3 ? 1 : -1) * fore * w : 0
    const dy = onEdge && (edge === 1 || edge === 3) ? (i <= 1 ? 1 : -1) * fore * h : 0
    return { x: p.x + dx + j() * w, y: p.y + dy + j() * h }
  })
  const angle = rng.range(-7, 7)
  const rad = (angle * Math.PI) / 180
  const cx = W / 2
  const cy = H / 2
  const quad = inward.map((p) => ({
    x: cx + (p.x - cx) * Math.cos(rad) - (p.y - cy) * Math.sin(rad),
    y: cy + (p.x - cx) * Math.sin(rad) + (p.y - cy) * Math.cos(rad)
  }))
  const toFrame = squareToQuad(quad)
  const toPage = solve3(toFrame)
  const sdx = rng.range(-0.02, 0.02) * w
  const sdy = rng.range(0.005, 0.025) * h
  const toShadow = solve3(squareToQuad(quad.map((p) => ({ x: p.x + sdx, y: p.y + sdy }))))
  applied.perspective = Number((Math.max(fore, 0.03) * 100).toFixed(2))
  applied.rotation = Number(angle.toFixed(2))

  const bg = rng.pick(BACKGROUNDS)
  applied.background = bg.name
  const f1 = rng.range(0.02, 0.06)
  const f2 = rng.range(0.002, 0.01)
  const grainAngle = rng.range(0, Math.PI)
  const ga = Math.cos(grainAngle)
  const gb = Math.sin(grainAngle)
  // Light: a gradient across the frame and the soft shadow of a hand or phone; sometimes a glare.
  const dark = rng.range(0.12, 0.35)
  const la = rng.range(0, 2 * Math.PI)
  const ldx = Math.cos(la)
  const ldy = Math.sin(la)
  const blob = {
    x: rng.range(0, W),
    y: rng.chance(0.5) ? rng.range(0, H * 0.3) : rng.range(H * 0.7, H),
    r: rng.range(0.3, 0.55) * Math.max(W, H),
    d: rng.range(0.2, 0.42)
  }
  const glare = rng.chance(0.35)
    ? {
        x: rng.range(W * 0.2, W * 0.8),
        y: rng.range(H * 0.2, H * 0.8),
        r: rng.range(0.12, 0.25) * Math.max(W, H),
        a: rng.range(20, 45)
      }
    : undefined
  applied.lighting = Number(dark.toFixed(2))
  applied.shadow = Number(blob.d.toFixed(2))
  if (glare !== undefined) applied.glare = Number(glare.a.toFixed(0))
  const tint = [1, rng.range(0.95, 0.99), rng.range(0.86, 0.95)] as const

  const src = page.data
  const out = new Uint8Array(W * H * 3)
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const u = applyHomography(toPage, { x, y })
      const px = u.x * w
      const py = u.y * h
      let r: number
      let g: number
      let b: number
      if (px >= 0 && py >= 0 && px <= w - 1 && py <= h - 1) {
        const x0 = Math.floor(px)
        const y0 = Math.floor(py)
        const x1 = Math.min(w - 1, x0 + 1)
        const y1 = Math.min(h - 1, y0 + 1)
        const fx = px - x0
        const fy = py - y0
        const at = (xx: number, yy: number, k: number) => src[(yy * w + xx) * 3 + k]!
        const s = (k: number) =>
          (at(x0, y0, k) * (1 - fx) + at(x1, y0, k) * fx) * (1 - fy) +
          (at(x0, y1, k) * (1 - fx) + at(x1, y1, k) * fx) * fy
        r = s(0)
        g = s(1)
        b = s(2)
      } else {
        const t = x * ga + y * gb
        const grain = bg.grain * Math.sin(t * f1 + 3 * Math.sin(t * f2 + y * 0.003))
        r = bg.rgb[0] + grain
        g = bg.rgb[1] + grain * 0.8
        b = bg.rgb[2] + grain * 0.6
        const v = applyHomography(toShadow, { x, y })
        const out = Math.max(0, -v.x, v.x - 1, -v.y, v.y - 1)
        const shade = 1 - 0.5 * Math.exp(-out / 0.012)
        r *= shade
        g *= shade
        b *= shade
      }
      const t = ((x / W - 0.5) * ldx + (y / H - 0.5) * ldy + 0.71) / 1.42
      const dist = Math.hypot(x - blob.x, y - blob.y) / blob.r
      let f = (1 - dark * t) * (1 - blob.d * (1 - smooth(dist)))
      let add = 0
      if (glare !== undefined) add = glare.a * (1 - smooth(Math.hypot(x - glare.x, y - glare.y) / glare.r))
      f = Math.max(0, f)
      const o = (y * W + x) * 3
      out[o] = Math.min(255, r * f * tint[0] + add)
      out[o + 1] = Math.min(255, g * f * tint[1] + add)
      out[o + 2] = Math.min(255, b * f * tint[2] + add)
    }
  }
  let image: Raster.Raster = { width: W, height: H, channels: 3, data: out }
  const sigma = Number(rng.range(0.35, 0.9).toFixed(2))
  const blurred = await toSharp(image).blur(sigma).raw().toBuffer()
  image = { ...image, data: new Uint8Array(blurred.buffer, blurred.byteOffset, blurred.length) }
  applied.blur = sigma
  const sd = Number(rng.range(2, 7).toFixed(1))
  image = addNoise(image, rng, sd)
  applied.noise = sd
  const quality = rng.int(60, 82)
  const bytes = await toSharp(image).jpeg({ quality, mozjpeg: false }).toBuffer()
  applied.jpeg = quality
  return {
    bytes: new Uint8Array(bytes),
    format: "jpeg",
    width: W,
    height: H,
    map: (p) => applyHomography(toFrame, { x: p.x / w, y: p.y / h }),
    applied
  }
}
