/**
 * Form and ticket archetypes for `synth-docs.ts`: `form` (a boxed
 * registration form, an application form of label-value rows, a VAT-style
 * invoice) and `ticket` (a boarding pass with its stub, a Chinese train
 * ticket, a cinema ticket).
 *
 * What they test is the reading order of rows: a label and its value share a
 * row (`姓名：张伟`, `Flight: CA1234`) and the page is read row by row across,
 * not column by column. A label and a value set apart on the row are each
 * `data-line`, so they are two ground-truth lines (label first), as a
 * detector sees them; boxed field grids are `table` blocks whose cells hold a
 * label line over a value line.
 *
 * @since 0.1.0
 */
import type { ArchetypeContext, ArchetypeSpec } from "./synth-archetypes.ts"
import { OWN, pickLanguage, sansFont, serifFont } from "./synth-archetypes.ts"
import type { Rng } from "./synth-corpus.ts"
import { escapeHtml } from "./synth-page.ts"
import {
  AIRPORTS,
  address,
  birthDate,
  city,
  date,
  digits,
  INVOICE_ITEMS,
  maskedId,
  money,
  personName,
  STATIONS,
  time
} from "./synth-text.ts"

const doc = (style: string, body: string): string =>
  `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>
html, body { margin: 0; padding: 0; background: #fff; }
#page { position: relative; box-sizing: border-box; overflow: hidden; }
h1, h2, h3, p { margin: 0; }
table { border-collapse: collapse; }
${style}
</style></head><body>${body}</body></html>`

/** A label and its value on one row, set apart: two lines, label first. */
const pair = (label: string, value: string, cls = "kv"): string =>
  `<div data-kind="paragraph" class="${cls}"><span data-line class="k">${escapeHtml(label)}</span><span data-line class="v">${escapeHtml(value)}</span></div>`

/** A label and its value run together (`姓名：张伟`): one line. */
const joined = (label: string, value: string, cls = "kj"): string =>
  `<div data-kind="paragraph" class="${cls}">${escapeHtml(label)}${escapeHtml(value)}</div>`

/** A table cell: `text` as one line, or label over value. */
const cell = (content: string | readonly [string, string], attrs = ""): string =>
  typeof content === "string"
    ? `<td${attrs}>${escapeHtml(content)}</td>`
    : `<td${attrs}><div class="lb">${escapeHtml(content[0])}</div><div class="vl">${escapeHtml(content[1])}</div></td>`

const DIGIT_ZH = "零壹贰叁肆伍陆柒捌玖"
const UNIT_ZH = ["", "拾", "佰", "仟"]

/** An amount in Chinese capitals as invoices write it: 壹仟叁佰零捌元零肆分. */
export const amountInCapitals = (amount: number): string => {
  const fen = Math.round(amount * 100)
  const yuan = Math.floor(fen / 100)
  const jiao = Math.floor(fen / 10) % 10
  const f = fen % 10
  const groups: Array<string> = []
  const section = (n: number) => {
    let out = ""
    let zero = false
    for (let i = 3; i >= 0; i--) {
      const d = Math.floor(n / 10 ** i) % 10
      if (d === 0) zero = out !== ""
      else {
        out += (zero ? "零" : "") + DIGIT_ZH[d] + UNIT_ZH[i]
        zero = false
      }
    }
    return out
  }
  const wan = Math.floor(yuan / 10000)
  const rest = yuan % 10000
  if (wan > 0) groups.push(`${section(wan)}万`)
  if (rest > 0) groups.push((wan > 0 && rest < 1000 ? "零" : "") + section(rest))
  let text = `${groups.join("") || "零"}元`
  if (jiao === 0 && f === 0) return `${text}整`
  text += jiao > 0 ? `${DIGIT_ZH[jiao]}角` : "零"
  if (f > 0) text += `${DIGIT_ZH[f]}分`
  return text
}

/** A Chinese registration form: one boxed grid of label and value cells, read row by row. */
const registration = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const font = rng.chance(0.5) ? sansFont(rng, "zh") : serifFont(rng, "zh")
  const W = 800
  // The form is as tall as its content; this bounds the viewport.
  const H = 1400
  const fs = (rng.range(14, 17) / ctx.scale).toFixed(2)
  const name = personName(rng, "zh")
  const title = rng.pick(["员工入职登记表", "学生信息登记表", "会员注册申请表", "志愿者报名表", "住房申请登记表"])
  const rows: Array<string> = [
    `<tr>${cell("姓名")}${cell(name)}${cell("性别")}${cell(rng.pick(["男", "女"]))}${cell("出生日期")}${cell(birthDate(rng))}</tr>`,
    `<tr>${cell("民族")}${cell(rng.pick(["汉", "回", "满", "壮"]))}${cell("籍贯")}${cell(`${city(rng, "zh")}市`)}${cell("政治面貌")}${cell(rng.pick(["群众", "团员", "党员"]))}</tr>`,
    `<tr>${cell("身份证号")}${cell(maskedId(rng), ' colspan="3"')}${cell("联系电话")}${cell(`1${rng.pick(["38", "39", "52", "86"])}${digits(rng, 8)}`)}</tr>`,
    `<tr>${cell("学历")}${cell(rng.pick(["本科", "硕士研究生", "大专", "博士研究生"]))}${cell("毕业院校")}${cell(`${city(rng, "zh")}${rng.pick(["大学", "理工大学", "师范大学"])}`, ' colspan="3"')}</tr>`,
    `<tr>${cell("通讯地址")}${cell(address(rng, "zh"), ' colspan="5"')}</tr>`,
    `<tr>${cell("电子邮箱")}${cell(`${rng.pick(["zhangwei", "wangfang", "lina", "liuyang"])}${rng.int(10, 99)}@example.com`, ' colspan="2"')}${cell("邮政编码")}${cell(digits(rng, 6), ' colspan="2"')}</tr>`,
    `<tr>${cell("紧急联系人")}${cell(personName(rng, "zh"))}${cell("关系")}${cell(rng.pick(["父亲", "母亲", "配偶", "朋友"]))}${cell("电话")}${cell(`1${rng.pick(["35", "37", "58"])}${digits(rng, 8)}`)}</tr>`,
    `<tr>${cell("个人简历")}${cell(`${rng.int(2008, 2016)}年至${rng.int(2017, 2020)}年在${city(rng, "zh")}${rng.pick(["大学", "学院"])}学习；${rng.int(2020, 2023)}年起在${city(rng, "zh")}${rng.pick(["科技有限公司", "设计院", "中学"])}工作，任${rng.pick(["工程师", "教师", "项目经理"])}。`, ' colspan="5" class="tall"')}</tr>`
  ]
  const style = `
#page { width: ${W}px; padding: 48px 56px; font-family: ${font.family}; font-size: ${fs}px; line-height: 1.5; color: #000; }
h1 { text-align: center; font-size: ${(Number(fs) * 1.7).toFixed(2)}px; letter-spacing: 0.2em; margin-bottom: 10px; }
.meta { display: flex; justify-content: space-between; margin-bottom: 8px; }
table { width: 100%; table-layout: fixed; }
td { border: 1.5px solid #000; padding: 8px 6px; text-align: center; vertical-align: middle; }
td.tall { text-align: left; height: 120px; vertical-align: top; }
.kv { display: flex; gap: 0; }
.kv .v { margin-left: 1.2em; min-width: 8em; border-bottom: 1px solid #000; }
.sign { display: flex; justify-content: space-between; margin-top: 28px; }`
  const html = doc(
    style,
    `<div id="page"><h1 data-kind="heading" data-level="1">${title}</h1><div class="meta">${joined("编号：", `${rng.pick(["HR", "ST", "VIP"])}-${digits(rng, 6)}`)}${joined("填表日期：", date(rng, "zh"))}</div><table data-kind="table">${rows.join("")}</table><div class="sign">${pair("本人签名：", name)}${pair("日期：", date(rng, "zh"))}</div></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: "registration form" }
}

/** An application form of label-value rows, two fields to a row, in sections. */
const application = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng, [0.4, 0.4, 0.2])
  const en = lang === "en"
  const both = lang === "mixed"
  const font = sansFont(rng, lang)
  const W = 800
  const H = 1400
  const fs = (rng.range(14, 17) / ctx.scale).toFixed(2)
  const L = (zh: string, e: string) => (en ? `${e}:` : both ? `${zh} ${e}:` : `${zh}：`)
  const sections: Array<[string, Array<[string, string]>]> = [
    [
      en ? "1. Personal details" : both ? "一、个人信息 Personal details" : "一、个人信息",
      [
        [L("姓名", "Name"), personName(rng, en ? "en" : "zh")],
        [L("出生日期", "Date of birth"), birthDate(rng)],
        [L("国籍", "Nationality"), en ? rng.pick(["British", "Irish", "Canadian"]) : "中国 China"],
        [L("证件号码", "ID number"), en ? `${rng.pick(["P", "E"])}${digits(rng, 8)}` : maskedId(rng)],
        [L("电话", "Phone"), `+86 1${rng.pick(["38", "86"])} ${digits(rng, 4)} ${digits(rng, 4)}`],
        [L("邮箱", "Email"), `${rng.pick(["anna", "wei", "li.na", "tom"])}${rng.int(1, 99)}@example.org`]
      ]
    ],
    [
      en ? "2. Address" : both ? "二、地址 Address" : "二、联系地址",
      [
        [L("地址", "Street"), address(rng, en ? "en" : "zh")],
        [L("城市", "City"), city(rng, en ? "en" : "zh")],
        [
          L("邮编", "Postcode"),
          en ? `${rng.pick(["LS", "EH", "M"])}${rng.int(1, 20)} ${rng.int(1, 9)}AB` : digits(rng, 6)
        ],
        [L("入住日期", "Since"), date(rng, "iso")]
      ]
    ],
    [
      en ? "3. Application" : both ? "三、申请事项 Application" : "三、申请事项",
      [
        [
          L("申请类型", "Type"),
          en ? rng.pick(["Renewal", "New card", "Replacement"]) : rng.pick(["续期", "新办", "补办"])
        ],
        [L("申请编号", "Reference"), `${rng.pick(["A", "R", "N"])}${digits(rng, 9)}`],
        [L("受理网点", "Office"), en ? `${city(rng, "en")} Central` : `${city(rng, "zh")}市政务服务中心`],
        [L("费用", "Fee"), en ? `£${money(rng, 10, 90)}` : `¥${money(rng, 10, 200)}`]
      ]
    ]
  ]
  const body = sections
    .map(
      ([h, fields]) =>
        `<h2 data-kind="heading" data-level="2">${escapeHtml(h)}</h2><div class="fields">${fields.map(([k, v]) => pair(k, v)).join("")}</div>`
    )
    .join("")
  const labelW = en ? 8 : both ? 9 : 6
  const style = `
#page { width: ${W}px; padding: 44px 52px; font-family: ${font.family}; font-size: ${fs}px; line-height: 1.5; color: #111; }
h1 { font-size: ${(Number(fs) * 1.6).toFixed(2)}px; text-align: center; margin-bottom: 4px; }
.note { text-align: center; font-size: ${(Number(fs) * 0.85).toFixed(2)}px; color: #444; margin-bottom: 14px; }
h2 { font-size: ${(Number(fs) * 1.1).toFixed(2)}px; background: #e8e8e8; padding: 3px 8px; margin: 14px 0 8px; }
.fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 32px; row-gap: 12px; }
.kv { display: flex; align-items: baseline; }
.kv .k { flex: none; width: ${labelW}em; color: #333; }
.kv .v { flex: 1; min-width: 0; border-bottom: 1px solid #555; padding-left: 6px; font-family: ${rng.pick(['"DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace', font.family])}; }
.decl { margin: 4px 0 0; }
.sign { display: grid; grid-template-columns: 1fr 1fr; column-gap: 32px; margin-top: 28px; }
table.office { width: 100%; margin-top: 28px; }
table.office td { border: 1px solid #555; padding: 6px 8px; }`
  const title = en
    ? rng.pick(["Application Form", "Library Card Application", "Parking Permit Application"])
    : both
      ? "申请表 Application Form"
      : rng.pick(["居住证申请表", "借阅证申请表", "停车许可申请表"])
  const html = doc(
    style,
    `<div id="page"><h1 data-kind="heading" data-level="1">${escapeHtml(title)}</h1><p data-kind="paragraph" class="note">${escapeHtml(en ? "Please write in capital letters. Fields marked * are required." : "请用黑色签字笔正楷填写，带 * 的为必填项。")}</p>${body}<h2 data-kind="heading" data-level="2">${escapeHtml(en ? "4. Declaration" : both ? "四、声明 Declaration" : "四、申请人声明")}</h2><p data-kind="paragraph" class="decl">${escapeHtml(en ? "I declare that the information I have given on this form is correct and complete. I understand that giving false information may lead to my application being refused." : "本人承诺以上所填信息真实、准确、完整，如有虚假，愿承担由此产生的一切后果。")}</p><div class="sign">${pair(L("申请人签名", "Signature"), personName(rng, en ? "en" : "zh"))}${pair(L("日期", "Date"), date(rng, "iso"))}</div><table data-kind="table" class="office"><tr>${cell(en ? "For office use only" : "以下由工作人员填写", ' colspan="4"')}</tr><tr>${cell(L("受理人", "Received by"))}${cell(personName(rng, en ? "en" : "zh"))}${cell(L("受理日期", "Date"))}${cell(date(rng, "iso"))}</tr></table></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: "application form" }
}

/** A VAT-style invoice: code and number pairs, buyer and seller boxes, the items table, totals. */
const invoice = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const font = rng.chance(0.5) ? serifFont(rng, "zh") : sansFont(rng, "zh")
  const W = 880
  const H = 900
  const fs = Number((rng.range(12, 14) / ctx.scale).toFixed(2))
  const items = Array.from({ length: rng.int(2, 4) }, () => {
    const [name, unit] = rng.pick(INVOICE_ITEMS)
    const qty = rng.int(1, 20)
    const price = Number(money(rng, 5, 800))
    return { name, unit, qty, price, amount: qty * price }
  })
  const rate = rng.pick([0.06, 0.13, 0.03])
  const total = items.reduce((a, i) => a + i.amount, 0)
  const tax = total * rate
  const company = () =>
    `${city(rng, "zh")}${rng.pick(["星河", "远航", "华信", "新源", "博创"])}${rng.pick(["科技有限公司", "贸易有限公司", "信息技术有限公司"])}`
  const party = (role: string) =>
    `<table data-kind="table" class="party"><tr>${cell(role, ' rowspan="4" class="role"')}${cell(["名称：", company()] as const, ' class="pv"')}</tr><tr>${cell(["纳税人识别号：", `91${digits(rng, 4)}${rng.pick(["MA", "MB"])}${digits(rng, 3)}${rng.pick(["X", "Y", "Q"])}${digits(rng, 6)}`] as const, ' class="pv"')}</tr><tr>${cell(["地址、电话：", `${address(rng, "zh")} 0${rng.int(10, 29)}-${digits(rng, 8)}`] as const, ' class="pv"')}</tr><tr>${cell(["开户行及账号：", `${rng.pick(["中国银行", "工商银行", "建设银行"])}${city(rng, "zh")}分行 ${digits(rng, 12)}`] as const, ' class="pv"')}</tr></table>`
  const head = ["项目名称", "单位", "数量", "单价", "金额", "税率", "税额"]
  const itemRows = items
    .map(
      (i) =>
        `<tr>${cell(i.name)}${cell(i.unit)}${cell(String(i.qty))}${cell(i.price.toFixed(2))}${cell(i.amount.toFixed(2))}${cell(`${Math.round(rate * 100)}%`)}${cell((i.amount * rate).toFixed(2))}</tr>`
    )
    .join("")
  const style = `
#page { width: ${W}px; padding: 28px 36px; font-family: ${font.family}; font-size: ${fs}px; line-height: 1.4; color: #5a3a1a; background: #fffdf6; }
.top { display: grid; grid-template-columns: 1fr 1.4fr 1fr; align-items: end; margin-bottom: 10px; }
h1 { text-align: center; font-size: ${(fs * 1.9).toFixed(2)}px; color: #8a4a1a; border-bottom: 3px double #8a4a1a; padding-bottom: 2px; }
.codes { display: flex; flex-direction: column; gap: 2px; }
.kv { display: flex; }
.kv .k { width: 5.5em; flex: none; }
.kv .v { color: #111; font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; }
table { width: 100%; }
td { border: 1px solid #8a4a1a; padding: 3px 6px; color: #111; }
table.party td.role { width: 1.6em; text-align: center; color: #5a3a1a; }
table.party td.pv .lb { display: inline; color: #5a3a1a; }
table.party td.pv .vl { display: inline; margin-left: 0.3em; }
table.items td { text-align: center; }
table.items tr:first-child td { color: #5a3a1a; }
.totals { display: flex; justify-content: space-between; border: 1px solid #8a4a1a; border-top: none; padding: 3px 6px; }
.parties { display: flex; flex-direction: column; }
.foot { display: flex; justify-content: space-between; margin-top: 10px; }
.foot .kv .k { width: auto; margin-right: 0.8em; }`
  const rightCodes = `<div class="codes">${pair("发票代码：", `0${digits(rng, 11)}`)}${pair("发票号码：", digits(rng, 8))}${pair("开票日期：", date(rng, "zh"))}${pair("校验码：", `${digits(rng, 5)} ${digits(rng, 5)} ${digits(rng, 5)} ${digits(rng, 5)}`)}</div>`
  const html = doc(
    style,
    `<div id="page"><div class="top">${joined("机器编号：", digits(rng, 12))}<h1 data-kind="heading" data-level="1">${escapeHtml(`${rng.pick(["北京", "上海", "广东", "浙江"])}增值税电子普通发票`)}</h1>${rightCodes}</div><div class="parties">${party("购买方")}</div><table data-kind="table" class="items"><tr>${head.map((h) => cell(h)).join("")}</tr>${itemRows}<tr>${cell("合计")}${cell("")}${cell("")}${cell("")}${cell(`¥${total.toFixed(2)}`)}${cell("")}${cell(`¥${tax.toFixed(2)}`)}</tr><tr>${cell("价税合计（大写）")}${cell(amountInCapitals(total + tax), ' colspan="4"')}${cell(`（小写）¥${(total + tax).toFixed(2)}`, ' colspan="2"')}</tr></table><div class="parties">${party("销售方")}</div><div class="foot">${pair("收款人：", personName(rng, "zh"))}${pair("复核：", personName(rng, "zh"))}${pair("开票人：", personName(rng, "zh"))}${joined("销售方：", "（章）")}</div></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: "invoice" }
}

const barcodeSvg = (rng: Rng, width: number, height: number): string => {
  let x = 0
  const bars: Array<string> = []
  while (x < width - 4) {
    const w = rng.int(1, 4)
    if (rng.chance(0.55)) bars.push(`<rect x="${x}" y="0" width="${w}" height="${height}"/>`)
    x += w
  }
  return `<svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" fill="#000">${bars.join("")}</svg>`
}

const qrSvg = (rng: Rng, size: number): string => {
  const n = 21
  const c = size / n
  const cells: Array<string> = []
  for (let y = 0; y < n; y++)
    for (let x = 0; x < n; x++) {
      const finder = (x < 7 && y < 7) || (x >= n - 7 && y < 7) || (x < 7 && y >= n - 7)
      const on = finder
        ? (() => {
            const fx = x >= n - 7 ? x - (n - 7) : x
            const fy = y >= n - 7 ? y - (n - 7) : y
            return fx === 0 || fy === 0 || fx === 6 || fy === 6 || (fx >= 2 && fx <= 4 && fy >= 2 && fy <= 4)
          })()
        : rng.chance(0.5)
      if (on)
        cells.push(
          `<rect x="${(x * c).toFixed(2)}" y="${(y * c).toFixed(2)}" width="${c.toFixed(2)}" height="${c.toFixed(2)}"/>`
        )
    }
  return `<svg width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" fill="#000">${cells.join("")}</svg>`
}

/** A boarding pass: airline bar, a grid of label-over-value cells, a barcode, and the stub on the right. */
const boardingPass = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const bilingual = rng.chance(0.6)
  const font = sansFont(rng, bilingual ? "mixed" : "en")
  const W = 880
  const H = 340
  const airline = rng.pick([
    ["中国国际航空", "AIR CHINA", "CA"],
    ["东方航空", "CHINA EASTERN", "MU"],
    ["南方航空", "CHINA SOUTHERN", "CZ"],
    ["海南航空", "HAINAN AIRLINES", "HU"]
  ] as const)
  const from = rng.pick(AIRPORTS)
  let to = rng.pick(AIRPORTS)
  while (to === from) to = rng.pick(AIRPORTS)
  const L = (zh: string, en: string) => (bilingual ? `${en} ${zh}` : en)
  const flight = `${airline[2]}${rng.int(101, 9899)}`
  const name = personName(rng, "pinyin")
  const seat = `${rng.int(1, 60)}${rng.pick(["A", "B", "C", "D", "E", "F", "K"])}`
  const day = date(rng, "en")
  const board = time(rng)
  const grid = [
    [
      [L("姓名", "NAME"), name],
      [L("航班", "FLIGHT"), flight],
      [L("日期", "DATE"), day]
    ],
    [
      [L("始发地", "FROM"), `${bilingual ? `${from[0]} ` : ""}${from[1]} ${from[2]}`],
      [L("目的地", "TO"), `${bilingual ? `${to[0]} ` : ""}${to[1]} ${to[2]}`],
      [L("舱位", "CLASS"), rng.pick(["Y", "J", "F", "W"])]
    ],
    [
      [L("登机口", "GATE"), `${rng.pick(["A", "B", "C", "E"])}${rng.int(1, 60)}`],
      [L("登机时间", "BOARDING"), board],
      [L("座位号", "SEAT"), seat]
    ]
  ] as const
  const boxed = rng.chance(0.5)
  const color = rng.pick(["#a4161a", "#1d3f8f", "#0c6e5b", "#6b2a8f"])
  const stub = [
    [L("姓名", "NAME"), name],
    [L("航班", "FLIGHT"), flight],
    [L("座位号", "SEAT"), seat],
    [L("序号", "SEQ"), String(rng.int(1, 320)).padStart(3, "0")]
  ] as const
  const style = `
#page { width: ${W}px; height: ${H}px; font-family: ${font.family}; font-size: 13px; color: #111; background: #fff; border-radius: 12px; border: 1px solid #bbb; display: flex; flex-direction: column; }
.bar { background: ${color}; color: #fff; display: flex; justify-content: space-between; align-items: center; padding: 10px 22px; }
.bar .air { font-size: 20px; font-weight: 700; }
.bar h1 { font-size: 18px; font-weight: 700; letter-spacing: 0.05em; }
.main { flex: 1; display: flex; min-height: 0; }
.left { flex: 1; padding: 12px 22px; display: flex; flex-direction: column; gap: 8px; }
.right { width: 210px; border-left: 2px dashed #999; padding: 12px 16px; display: flex; flex-direction: column; gap: 6px; }
table { width: 100%; table-layout: fixed; }
td { vertical-align: top; padding: 4px 8px 6px; ${boxed ? "border: 1px solid #999;" : ""} }
.lb { font-size: 11px; color: #666; letter-spacing: 0.04em; }
.vl { font-size: 19px; font-weight: 700; font-family: "DejaVu Sans", ${font.family}; }
.right .lb { font-size: 10px; }
.right .vl { font-size: 15px; }
.code { line-height: 0; }
.etkt { font-size: 11px; color: #444; }`
  const html = doc(
    style,
    `<div id="page"><div class="bar"><div data-kind="header" class="air">${escapeHtml(bilingual ? `${airline[0]} ${airline[1]}` : airline[1])}</div><h1 data-kind="heading" data-level="1">${escapeHtml(bilingual ? "登机牌 BOARDING PASS" : "BOARDING PASS")}</h1></div><div class="main"><div class="left"><table data-kind="table">${grid
      .map((row) => `<tr>${row.map((c) => cell(c)).join("")}</tr>`)
      .join(
        ""
      )}</table><div data-kind="paragraph" class="etkt">${escapeHtml(`ETKT ${digits(rng, 3)}-${digits(rng, 10)}`)}</div><div data-kind="figure" class="code">${barcodeSvg(rng, 380, 44)}</div></div><div class="right"><table data-kind="table">${stub
      .map((c) => `<tr>${cell(c)}</tr>`)
      .join("")}</table></div></div></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: "boarding pass" }
}

/** A Chinese train ticket: stations, train and seat read row by row across; passenger line; QR code. */
const trainTicket = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const font = rng.chance(0.5) ? sansFont(rng, "zh") : serifFont(rng, "zh")
  const W = 680
  const H = 420
  const from = rng.pick(STATIONS)
  let to = rng.pick(STATIONS)
  while (to === from) to = rng.pick(STATIONS)
  const train = `${rng.pick(["G", "D", "C", "K", "Z"])}${rng.int(1, 2999)}`
  const style = `
#page { width: ${W}px; height: ${H}px; padding: 20px 30px; font-family: ${font.family}; color: #111;
  background: linear-gradient(135deg, ${rng.pick(["#cfe4f2, #e9f3fa", "#f6d9d9, #fbeeee", "#e6eef6, #f4f8fb"])}); border-radius: 10px; }
.row { display: flex; justify-content: space-between; align-items: baseline; margin-bottom: 10px; }
.no { color: #c0282d; font-size: 22px; font-family: "DejaVu Sans Mono", monospace; }
.gate { font-size: 16px; }
.st { text-align: center; }
.st .cn { font-size: 32px; font-weight: 700; }
.st .py { font-size: 14px; color: #333; }
.train { font-size: 30px; font-weight: 700; text-align: center; }
.train { border-bottom: 3px solid #333; padding: 0 24px 2px; }
.line { font-size: 20px; margin-bottom: 8px; }
.small { font-size: 15px; }
.bottom { display: flex; justify-content: space-between; align-items: flex-end; margin-top: 6px; }
.qr { line-height: 0; }`
  const html = doc(
    style,
    `<div id="page"><div class="row"><span data-kind="paragraph" class="no">${escapeHtml(`${rng.pick(["E", "Z", "F"])}${digits(rng, 9)}`)}</span><span data-kind="paragraph" class="gate">${escapeHtml(`检票:${rng.int(1, 28)}${rng.pick(["A", "B"])}`)}</span></div><div class="row"><div data-kind="paragraph" class="st"><div data-line class="cn">${escapeHtml(`${from[0]}站`)}</div><div data-line class="py">${escapeHtml(from[1])}</div></div><div data-kind="paragraph" class="train">${escapeHtml(train)}</div><div data-kind="paragraph" class="st"><div data-line class="cn">${escapeHtml(`${to[0]}站`)}</div><div data-line class="py">${escapeHtml(to[1])}</div></div></div><div class="row"><span data-kind="paragraph" class="line">${escapeHtml(`${date(rng, "zh")} ${time(rng)}开`)}</span><span data-kind="paragraph" class="line">${escapeHtml(`${String(rng.int(1, 16)).padStart(2, "0")}车${String(rng.int(1, 20)).padStart(2, "0")}${rng.pick(["A", "B", "C", "D", "F"])}号`)}</span></div><div class="row"><span data-kind="paragraph" class="line">${escapeHtml(`¥${rng.int(40, 1200)}.${rng.int(0, 9)}元`)}</span><span data-kind="paragraph" class="line">${escapeHtml(rng.pick(["二等座", "一等座", "商务座", "硬卧", "无座"]))}</span></div><div data-kind="paragraph" class="small">${escapeHtml(rng.pick(["限乘当日当次车", "仅供报销使用"]))}</div><div class="bottom"><div><div data-kind="paragraph" class="line">${escapeHtml(`${maskedId(rng)} ${personName(rng, "zh")}`)}</div><div data-kind="paragraph" class="small">买票请到12306 发货请到95306</div><div data-kind="paragraph" class="small">${escapeHtml(`${digits(rng, 5)}${rng.pick(["3", "1"])}${digits(rng, 4)}${rng.pick(["A", "B"])}${digits(rng, 6)} ${from[0]}售`)}</div></div><div data-kind="figure" class="qr">${qrSvg(rng, 96)}</div></div></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: "train ticket" }
}

/** A cinema ticket: title, then label-value pairs two to a row. */
const cinemaTicket = (ctx: ArchetypeContext): ArchetypeSpec => {
  const { rng } = ctx
  const lang = pickLanguage(rng, [0.5, 0.3, 0.2])
  const en = lang === "en"
  const font = sansFont(rng, lang)
  const W = 720
  const H = 360
  const L = (zh: string, e: string) => (en ? `${e}:` : lang === "mixed" ? `${zh} ${e}:` : `${zh}：`)
  const fields: Array<[string, string]> = [
    [L("影厅", "Hall"), en ? `Screen ${rng.int(1, 12)}` : `${rng.int(1, 12)}号厅`],
    [L("座位", "Seat"), en ? `Row ${rng.int(1, 20)} Seat ${rng.int(1, 30)}` : `${rng.int(1, 20)}排${rng.int(1, 30)}座`],
    [L("场次", "Show"), `${date(rng, "iso")} ${time(rng)}`],
    [L("票价", "Price"), en ? `$${money(rng, 8, 25)}` : `¥${money(rng, 25, 120)}`],
    [L("订单号", "Order"), digits(rng, 12)],
    [
      L("影院", "Cinema"),
      en ? `${city(rng, "en")} Picturehouse` : `${city(rng, "zh")}${rng.pick(["万达影城", "星美影城", "大光明电影院"])}`
    ]
  ]
  const style = `
#page { width: ${W}px; height: ${H}px; padding: 22px 30px; font-family: ${font.family}; font-size: 17px; color: #222; background: #fffaf0; border: 2px solid #d4a017; border-radius: 8px; }
h1 { font-size: 26px; margin-bottom: 4px; }
.sub { color: #777; font-size: 14px; margin-bottom: 14px; }
.fields { display: grid; grid-template-columns: 1fr 1fr; row-gap: 12px; column-gap: 28px; }
.kv { display: flex; }
.kv .k { width: ${en ? 4.5 : lang === "mixed" ? 7.5 : 3.6}em; flex: none; color: #777; }
.kv .v { font-weight: 700; }
.foot { margin-top: 18px; font-size: 13px; color: #777; }`
  const html = doc(
    style,
    `<div id="page"><h1 data-kind="heading" data-level="1">${escapeHtml(en ? rng.pick(["The Long Road Home", "Night Harbour", "City of Glass"]) : rng.pick(["流浪地球", "长安三万里", "你好，李焕英", "满江红"]))}</h1><p data-kind="paragraph" class="sub">${escapeHtml(en ? "2D · English · 128 min" : "2D 国语 · 128 分钟")}</p><div class="fields">${fields.map(([k, v]) => pair(k, v)).join("")}</div><p data-kind="paragraph" class="foot">${escapeHtml(en ? "Please arrive 15 minutes before the show. No refunds." : "请提前15分钟入场，售出不退不换。")}</p></div>`
  )
  return { html, width: W, height: H, font: font.name, columns: 1, sources: [OWN], variant: "cinema ticket" }
}

/** The kinds of form, by name. */
export const FORM_VARIANTS = { registration, application, invoice } as const

/** The kinds of ticket, by name. */
export const TICKET_VARIANTS = { boarding: boardingPass, train: trainTicket, cinema: cinemaTicket } as const

/** `form`: a boxed registration form, an application form or an invoice. */
export const form = (ctx: ArchetypeContext): ArchetypeSpec =>
  FORM_VARIANTS[ctx.rng.pick(["registration", "application", "invoice"] as const)](ctx)

/** `ticket`: a boarding pass (half of them), a Chinese train ticket or a cinema ticket. */
export const ticket = (ctx: ArchetypeContext): ArchetypeSpec =>
  TICKET_VARIANTS[ctx.rng.pick(["boarding", "boarding", "train", "cinema"] as const)](ctx)
