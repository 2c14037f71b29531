/**
 * Text for the synthetic datasets: real mixed Chinese-English technical prose
 * from Debian's `manpages-zh` (GFDL-1.2+, read from /usr/share/man/zh_CN when
 * the package is installed) and our own sentences, tables and headings
 * (written for this project, Apache-2.0) that bring numbers, units, URLs,
 * prices, dates and full-width punctuation. Every piece carries its source so
 * the manifest can record where each page's text came from.
 *
 * Used by `synth-docs.ts` and `synth-lines.ts`; all choices go through the
 * seeded `Rng`, so a seed gives the same text on the same machine.
 *
 * @since 0.1.0
 */
import * as Fs from "node:fs"
import * as Path from "node:path"
import * as Zlib from "node:zlib"

/** A seeded pseudo-random generator (mulberry32): deterministic, fast, good enough for sampling. */
export class Rng {
  private state: number
  constructor(seed: number) {
    this.state = seed >>> 0
  }
  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  /** A float in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.next()
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return Math.floor(this.range(min, max + 1))
  }
  pick<A>(items: ReadonlyArray<A>): A {
    return items[Math.floor(this.next() * items.length)]!
  }
  chance(p: number): boolean {
    return this.next() < p
  }
  /** A standard normal sample (Box-Muller). */
  normal(): number {
    const u = Math.max(1e-12, this.next())
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }
}

/** A piece of text and where it came from. */
export interface Passage {
  readonly text: string
  readonly source: string
}

export const OWN_SOURCE = "ocr2word synth corpus (written for this project, Apache-2.0)"
const MAN_DIR = "/usr/share/man/zh_CN"

const HAN = /\p{Script=Han}/gu

/** Roff inline markup to plain text: font changes dropped, escapes resolved. */
const unroff = (line: string): string =>
  line
    .replace(/\\f(\[[^\]]*\]|\(..|.)/g, "")
    .replace(/\\[,/&|^]/g, "")
    .replace(/\\-/g, "-")
    .replace(/\\\(em/g, "—")
    .replace(/\\\(en/g, "–")
    .replace(/\\\(lq|\\\(rq|\\\(dq/g, '"')
    .replace(/\\\(aq/g, "'")
    .replace(/\\e/g, "\\")
    .replace(/\\ /g, " ")
    .replace(/\\\*\(..|\\\*./g, "")
    .replace(/\\./g, "")

/** Text of an inline-font macro line (.B, .I, .BR, .IR, ...), or undefined for other macros. */
const macroText = (line: string): string | undefined => {
  const m = /^\.(B|I|BR|RB|BI|IB|IR|RI|SM|SB)\s+(.*)$/.exec(line)
  if (m === null) return undefined
  const args = m[2]!.match(/"[^"]*"|\S+/g) ?? []
  return args.map((a) => a.replace(/^"|"$/g, "")).join(m[1]!.length > 1 ? "" : " ")
}

/** Paragraphs and section headings of one man page. */
const manPassages = (file: string): { paragraphs: Array<string>; headings: Array<string> } => {
  const text = Zlib.gunzipSync(Fs.readFileSync(file)).toString("utf8")
  const paragraphs: Array<string> = []
  const headings: Array<string> = []
  let current: Array<string> = []
  const flush = () => {
    const p = current.join("").replace(/\s+/g, " ").trim()
    if (p.length > 0) paragraphs.push(p)
    current = []
  }
  for (const raw of text.split("\n")) {
    if (raw.startsWith('.\\"') || raw.startsWith("'\\\"")) continue
    const inline = macroText(raw)
    if (inline !== undefined) {
      current.push(` ${unroff(inline)} `)
      continue
    }
    if (raw.startsWith(".") || raw.startsWith("'")) {
      const sh = /^\.S[HS]\s+(.*)$/.exec(raw)
      if (sh !== null) headings.push(unroff(sh[1]!.replace(/"/g, "")).trim())
      flush()
      continue
    }
    // Chinese lines join without a space; Latin ones with one.
    const line = unroff(raw).trim()
    const last = current[current.length - 1] ?? ""
    const joinSpace =
      /[\p{Script=Han}，。：；、）」]$/u.test(last) || /^[\p{Script=Han}，。：；、（「]/u.test(line) ? "" : " "
    current.push(joinSpace + line)
  }
  flush()
  return { paragraphs, headings }
}

/** Share of Han characters in a string. */
const hanShare = (text: string): number => (text.match(HAN)?.length ?? 0) / Math.max(1, text.replace(/\s/g, "").length)

/**
 * A man-page paragraph worth typesetting: a whole sentence (ends with a full
 * stop), balanced brackets, no roff leftovers, no spaces between two Han
 * characters (old translations space words apart, which no real page does).
 */
const isCleanSentence = (p: string): boolean => {
  if (!/[。.！？!?）)]$/u.test(p)) return false
  if (/[\\{}<>^~`|]|\s{2}|\p{Script=Han}\s+\p{Script=Han}/u.test(p)) return false
  const count = (re: RegExp) => p.match(re)?.length ?? 0
  return count(/[(（]/gu) === count(/[)）]/gu) && count(/"/g) % 2 === 0
}

/** The corpus a generator draws from. */
export interface Corpus {
  /** Body paragraphs, most of them mixed Chinese with Latin words. */
  readonly paragraphs: ReadonlyArray<Passage>
  /** Short headings. */
  readonly headings: ReadonlyArray<Passage>
  /** Paragraphs grouped by source, so one long man page does not crowd out the others. */
  readonly groups: ReadonlyArray<ReadonlyArray<Passage>>
  /** Where the man-page text came from, when it was found. */
  readonly manSource?: string
}

/** A paragraph: a source first (our own text a fifth of the time), then one of its paragraphs. */
export const samplePassage = (corpus: Corpus, rng: Rng): Passage => {
  if (corpus.groups.length <= 1 || rng.chance(0.2)) return rng.pick(corpus.groups[0]!)
  return rng.pick(rng.pick(corpus.groups.slice(1)))
}

/** Our own sentences: numbers, units, URLs, prices, dates, versions, full-width punctuation. */
const OWN_PARAGRAPHS: ReadonlyArray<string> = [
  "实验在 2 颗 CPU、8 GB 内存的机器上完成，单页平均耗时 350 ms，峰值内存约 1.2 GB。",
  "Revenue reached $3.2B in Q3 2024，同比增长 18.5%，毛利率为 41.2%。",
  "请访问 https://example.com/docs/install 获取安装说明，或发送邮件至 support@example.org。",
  "模型文件共 12.6 MB，支持 Windows、macOS 和 Linux（x86_64 与 arm64）。",
  "本次更新修复了 3 个已知问题，并将识别速度提高约 25%。详细变更见 CHANGELOG.md 文件。",
  "在 25 °C、相对湿度 60% 的条件下，电池续航可达 12 小时；充电时间约为 90 min。",
  "会议定于 2025 年 3 月 14 日（星期五）下午 2:30 在三楼会议室举行，预计持续 45 分钟。",
  "The quick brown fox jumps over the lazy dog. 敏捷的棕色狐狸跳过了懒狗。",
  "订单编号 A-20240517-0093 的总金额为 ¥1,286.40，其中运费 ¥12.00。",
  "使用 npm install ocr2word 安装后，运行 npx ocr2word input.png -o output.docx 即可得到 Word 文件。",
  "测试集包含 1,024 张图片，平均分辨率为 1920×1080，字符错误率（CER）为 4.7%。",
  "该设备的额定功率为 2.2 kW，工作电压 220 V，频率 50 Hz，重量约 18.5 kg。",
  "如需帮助，请拨打客服热线 400-820-8820，或在工作日 9:00–18:00 期间在线咨询。",
  "HTTP 请求超时时间默认为 30 s，最多重试 3 次，每次间隔按指数退避增加。",
  "第一季度销售额为 4,560 万元，第二季度为 5,230 万元，环比增长 14.7%。",
  "根据 ISO 8601 标准，日期应写作 2024-06-01，时间写作 13:45:00。",
  "This document describes the API of version 2.3.1. 本文档说明 2.3.1 版本的接口。",
  "光在真空中的速度约为 299,792 km/s，即每秒约 30 万公里。",
  "系统支持 PNG、JPEG、TIFF、WebP 与 BMP 格式，单个文件不超过 10 MB。",
  "“开源”并不等于“免费”：许可证规定了你可以做什么、必须做什么。",
  "检测阶段把图片缩放到边长不超过 960 像素，再用阈值 0.3 二值化概率图。",
  "北京到上海的高铁全程约 1,318 km，最快只需 4 小时 18 分钟。",
  "在 Python 3.11 中，该函数的平均执行时间从 12.4 ms 降到了 8.9 ms。",
  "本产品保修期为 24 个月，自购买之日起计算；人为损坏不在保修范围内。",
  "Please read the README before you open an issue on GitHub. 提问前请先阅读说明文档。",
  "每 100 g 含能量 1,580 kJ、蛋白质 12.3 g、脂肪 5.6 g、碳水化合物 68.2 g。",
  "年利率 3.85%，贷款期限 30 年，等额本息每月还款约 4,688 元。",
  "图 2 给出了不同分辨率下的识别准确率：在 300 dpi 时最高，为 97.8%。",
  "服务地址为 https://api.example.cn/v1/ocr，每秒最多 5 次请求（5 QPS）。",
  "《数据安全法》自 2021 年 9 月 1 日起施行，共七章五十五条。"
]

const OWN_HEADINGS: ReadonlyArray<string> = [
  "概述",
  "安装与配置",
  "快速开始 Quick Start",
  "性能测试结果",
  "常见问题（FAQ）",
  "第 3 章 数据格式",
  "附录 A 术语表",
  "系统要求",
  "使用示例",
  "版本说明 v2.3.1",
  "实验方法",
  "结论与展望",
  "API 参考",
  "注意事项"
]

/** Load the corpus: man pages under `manDir` (when present) plus our own text. */
export const loadCorpus = (manDir = MAN_DIR): Corpus => {
  const paragraphs: Array<Passage> = OWN_PARAGRAPHS.map((text) => ({ text, source: OWN_SOURCE }))
  const headings: Array<Passage> = OWN_HEADINGS.map((text) => ({ text, source: OWN_SOURCE }))
  const section = Path.join(manDir, "man1")
  const groups: Array<Array<Passage>> = [[...paragraphs]]
  if (!Fs.existsSync(section)) return { paragraphs, headings, groups }
  const seenHeadings = new Set(OWN_HEADINGS)
  for (const name of Fs.readdirSync(section).sort()) {
    if (!name.endsWith(".gz")) continue
    const source = `Debian manpages-zh, zh_CN/man1/${name.replace(/\.gz$/, "")} (GFDL-1.2+)`
    let parsed: ReturnType<typeof manPassages>
    try {
      parsed = manPassages(Path.join(section, name))
    } catch {
      continue
    }
    const group: Array<Passage> = []
    for (const p of parsed.paragraphs) {
      const share = hanShare(p)
      if (p.length >= 25 && p.length <= 240 && share >= 0.3 && isCleanSentence(p)) group.push({ text: p, source })
    }
    if (group.length > 0) groups.push(group)
    paragraphs.push(...group)
    for (const h of parsed.headings) {
      if (h.length >= 2 && h.length <= 16 && hanShare(h) >= 0.5 && !/[[\]]/.test(h) && !seenHeadings.has(h)) {
        seenHeadings.add(h)
        headings.push({ text: h, source })
      }
    }
  }
  return { paragraphs, headings, groups, manSource: `Debian manpages-zh (${manDir}, GFDL-1.2+)` }
}

/** A short, realistic table: a header row and 3-6 data rows, cells with units, prices, versions. */
export const makeTable = (rng: Rng): { rows: Array<Array<string>>; source: string } => {
  const kind = rng.int(0, 2)
  const n = rng.int(3, 6)
  const rows: Array<Array<string>> = []
  if (kind === 0) {
    rows.push(["型号 Model", "容量", "价格（元）", "重量"])
    const names = ["Alpha-2", "Beta X", "Gamma Pro", "Delta 5G", "Omega Mini", "Sigma S1"]
    for (let i = 0; i < n; i++) {
      rows.push([
        names[i]!,
        `${rng.pick([64, 128, 256, 512])} GB`,
        `¥${rng.int(9, 89)}${rng.int(0, 9)}9.00`,
        `${rng.int(120, 480)} g`
      ])
    }
  } else if (kind === 1) {
    rows.push(["模块", "版本", "耗时 (ms)", "通过率"])
    const names = ["检测 detect", "分类 classify", "识别 recognize", "版面 layout", "导出 docx", "解码 decode"]
    for (let i = 0; i < n; i++) {
      rows.push([
        names[i]!,
        `${rng.int(1, 4)}.${rng.int(0, 12)}.${rng.int(0, 9)}`,
        `${rng.int(3, 480)}.${rng.int(0, 9)}`,
        `${rng.int(80, 99)}.${rng.int(0, 9)}%`
      ])
    }
  } else {
    rows.push(["城市", "日期", "最高气温", "降水量"])
    const names = ["北京 Beijing", "上海 Shanghai", "广州", "深圳", "成都 Chengdu", "杭州"]
    for (let i = 0; i < n; i++) {
      rows.push([
        names[i]!,
        `2024-0${rng.int(1, 9)}-${rng.int(10, 28)}`,
        `${rng.int(-5, 38)} °C`,
        `${rng.int(0, 120)} mm`
      ])
    }
  }
  return { rows, source: OWN_SOURCE }
}

/** List items: short instructions with commands, numbers and URLs. */
export const LIST_ITEMS: ReadonlyArray<string> = [
  "下载安装包（约 85 MB）并解压到任意目录；",
  "运行 ocr2word --help 查看全部选项；",
  "将图片拖入窗口，或使用命令行批量转换；",
  "检查输出的 .docx 文件，必要时手动校对；",
  "内存不足时，可把 --threads 设为 1；",
  "访问 https://example.com/faq 了解更多；",
  "支持中文、English 以及中英混排文本；",
  "每页处理时间通常小于 2 秒；",
  "表格会被还原为 Word 表格；",
  "旋转超过 15° 的图片会先自动校正。"
]

/** Figure captions. */
export const CAPTIONS: ReadonlyArray<string> = [
  "图 1 各阶段耗时对比（单位：ms）",
  "图 2 不同分辨率下的准确率",
  "Figure 3. Throughput vs. thread count",
  "图 4 系统架构示意图",
  "表 1 测试环境配置",
  "图 5 2020—2024 年用户增长趋势"
]
