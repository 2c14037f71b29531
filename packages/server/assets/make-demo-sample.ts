/**
 * Renders assets/demo-sample.png, the image the keyless demo converts when no
 * image is sent: a few lines of mixed Chinese and English set in Noto CJK.
 * Run once with `npx node packages/server/assets/make-demo-sample.ts`; the
 * PNG is committed so the server needs no fonts at run time.
 */
import sharp from "sharp"

const lines = [
  "ocr2word 演示 Demo",
  "图片转 Word 文档, 支持中英文混合识别。",
  "Images of Chinese and English text",
  "become editable Word files: 2026 年 11 月"
]
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300">
<rect width="100%" height="100%" fill="white"/>
${lines.map((l, i) => `<text x="40" y="${70 + i * 62}" font-family="Noto Sans CJK SC, Noto Serif CJK SC, WenQuanYi Micro Hei" font-size="${i === 0 ? 40 : 34}" fill="black">${l}</text>`).join("\n")}
</svg>`
await sharp(Buffer.from(svg))
  .png()
  .toFile(new URL("./demo-sample.png", import.meta.url).pathname)
