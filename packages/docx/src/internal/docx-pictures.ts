/**
 * Figure blocks as pictures: the PNG cropped by the layout stage, inline in
 * the flow at the figure's place and at its size relative to the page, or
 * floating at its position on an exact-mode page.
 */
import type { Document } from "@ocr2word/core"
import { HorizontalPositionRelativeFrom, ImageRun, TextWrappingType, VerticalPositionRelativeFrom } from "docx"

/** Twips per pixel at the 96 dpi the `docx` library sizes images in. */
const TWIPS_PER_PX96 = 15
const EMU_PER_TWIP = 635

/** An inline picture `widthTwips` wide, keeping the block's proportions. */
export const inlinePicture = (block: Document.Figure, widthTwips: number): ImageRun | undefined => {
  if (block.image === undefined || block.box.width <= 0 || block.box.height <= 0) return undefined
  const width = Math.max(1, Math.round(widthTwips / TWIPS_PER_PX96))
  const height = Math.max(1, Math.round((width * block.box.height) / block.box.width))
  return new ImageRun({
    type: "png",
    data: block.image,
    transformation: { width, height },
    altText: { name: `figure`, description: "Figure cropped from the page", title: "figure" }
  })
}

/**
 * A picture floating at `x`, `y` (twips from the page's top-left corner),
 * `width` x `height` twips; behind the text for page backgrounds.
 */
export const floatingPicture = (
  png: Uint8Array,
  place: { readonly x: number; readonly y: number; readonly width: number; readonly height: number },
  behind: boolean,
  name: string
): ImageRun =>
  new ImageRun({
    type: "png",
    data: png,
    transformation: {
      width: Math.max(1, Math.round(place.width / TWIPS_PER_PX96)),
      height: Math.max(1, Math.round(place.height / TWIPS_PER_PX96))
    },
    floating: {
      horizontalPosition: { relative: HorizontalPositionRelativeFrom.PAGE, offset: Math.round(place.x * EMU_PER_TWIP) },
      verticalPosition: { relative: VerticalPositionRelativeFrom.PAGE, offset: Math.round(place.y * EMU_PER_TWIP) },
      allowOverlap: true,
      behindDocument: behind,
      wrap: { type: TextWrappingType.NONE },
      zIndex: behind ? 0 : 1
    },
    altText: { name, description: name, title: name }
  })
