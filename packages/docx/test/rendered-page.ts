/**
 * Pages with a known structure rendered in headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core, offline): a title, a
 * paragraph, two columns, a bulleted and a numbered list, a ruled table
 * with a column span and a row span, and a chart with its caption.
 */
import { chromium } from "playwright-core"

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run"
]

export const STRUCTURED_HTML = `<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #fff; }
#page { width: 800px; padding: 40px 50px; box-sizing: border-box; font-family: "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 17px; line-height: 1.6; color: #111; }
h1 { font-size: 34px; text-align: center; margin: 0 0 24px; }
h2 { font-size: 24px; margin: 22px 0 10px; }
p { margin: 0 0 14px; }
.cols { display: flex; gap: 50px; }
.cols > div { flex: 1; }
table { border-collapse: collapse; margin: 10px 0 24px; }
td, th { border: 1.5px solid #000; padding: 6px 22px; font-weight: normal; }
ul, ol { margin: 0 0 14px; }
.fig { margin: 10px auto 6px; width: 420px; }
.cap { text-align: center; font-size: 15px; }
</style></head><body><div id="page">
<h1>版面分析测试 Layout Test</h1>
<p>这份文件用来检查转换结果是否保留了原来的结构。This page checks that the Word file keeps the structure.</p>
<div class="cols">
<div><p>左栏第一段文字，讲的是识别流程的第一部分。The left column is read first, from top to bottom, before the right one.</p></div>
<div><p>右栏的文字在左栏之后阅读，顺序不能交错。The right column comes second in the reading order of the page.</p></div>
</div>
<h2>使用步骤 Steps</h2>
<ul><li>安装依赖 Install the packages</li><li>准备图片 Prepare the images</li></ul>
<ol><li>运行命令 Run the command</li><li>打开结果 Open the result</li></ol>
<table>
<tr><th>项目 Item</th><th colspan="2">数值与单位 Value and unit</th></tr>
<tr><td rowspan="2">速度 Speed</td><td>120</td><td>ms</td></tr>
<tr><td>8.5</td><td>pages/s</td></tr>
</table>
<div class="fig"><svg width="420" height="170" viewBox="0 0 420 170">
<rect x="10" y="70" width="60" height="90" fill="#4e79a7"/><rect x="95" y="40" width="60" height="120" fill="#f28e2b"/>
<rect x="180" y="90" width="60" height="70" fill="#59a14f"/><rect x="265" y="20" width="60" height="140" fill="#e15759"/>
<rect x="350" y="60" width="60" height="100" fill="#76b7b2"/></svg></div>
<p class="cap">图 1 每月销量 Figure 1: Sales by month</p>
<p>最后一段在图的后面。The last paragraph follows the figure.</p>
</div></body></html>`

/** PNG of an HTML page's `#page` element at `scale` device pixels per CSS pixel. */
export const renderHtml = async (html: string, scale = 1.25): Promise<Uint8Array> => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ARGS,
    headless: true
  })
  try {
    const page = await browser.newPage({ deviceScaleFactor: scale, viewport: { width: 800, height: 1200 } })
    await page.setContent(html, { waitUntil: "load" })
    await page.evaluate("document.fonts.ready.then(() => undefined)")
    const png = await page.locator("#page").screenshot({ type: "png" })
    return new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
  } finally {
    await browser.close()
  }
}
