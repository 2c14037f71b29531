/**
 * Text for the synthetic archetype pages (`synth-archetypes.ts`): news and
 * feature sentences in Chinese and English built from templates with seeded
 * slots (places, people, numbers, dates, money), headlines, and the field
 * values of forms and tickets (names, ID numbers, flights, trains, stations,
 * invoice codes). All of it is written for this project (Apache-2.0).
 *
 * Sentences are built rather than listed: a dense newspaper page holds 300
 * lines or more, and a line that occurs twice on a page makes line matching
 * (and so the reading-order score) ambiguous. Most are put together from an
 * opener, a subject, a predicate and a complement, each with seeded slots
 * (numbers, names, places), so two sentences rarely share a line; the rest
 * are whole templates (quotes, weather, sport) with slots.
 *
 * @since 0.1.0
 */
import type { Rng } from "./synth-corpus.ts"

const CITIES_ZH = [
  "北京",
  "上海",
  "广州",
  "深圳",
  "成都",
  "杭州",
  "武汉",
  "西安",
  "南京",
  "重庆",
  "苏州",
  "天津",
  "长沙",
  "青岛",
  "厦门",
  "昆明"
]
const CITIES_EN = [
  "Boston",
  "Leeds",
  "Denver",
  "Lyon",
  "Osaka",
  "Perth",
  "Austin",
  "Dublin",
  "Porto",
  "Seattle",
  "Turin",
  "Malmo",
  "Calgary",
  "Auckland",
  "Glasgow",
  "Tampa"
]
const ORGS_ZH = [
  "市政府",
  "市交通委",
  "省教育厅",
  "市卫健委",
  "国家统计局",
  "市气象台",
  "区法院",
  "市文旅局",
  "市生态环境局",
  "市住建委"
]
const ORGS_EN = [
  "the city council",
  "the transit agency",
  "the school board",
  "the health department",
  "the port authority",
  "the weather service",
  "the state court",
  "the housing office",
  "the water board",
  "the museum trust"
]
const TOPICS_ZH = [
  "地铁新线",
  "老旧小区改造",
  "垃圾分类",
  "社区养老",
  "夜间经济",
  "新能源汽车",
  "义务教育",
  "城市绿道",
  "文物保护",
  "防汛工作",
  "数字政务",
  "空气质量"
]
const TOPICS_EN = [
  "a new rail line",
  "the harbour bridge",
  "school meals",
  "flood defences",
  "cycle lanes",
  "rent controls",
  "the night bus network",
  "a solar farm",
  "library hours",
  "the water supply",
  "street lighting",
  "the city archive"
]
const PEOPLE_ZH = [
  "张伟",
  "王芳",
  "李娜",
  "刘洋",
  "陈静",
  "杨帆",
  "赵磊",
  "黄敏",
  "周杰",
  "吴婷",
  "徐明",
  "孙丽",
  "马超",
  "朱琳",
  "胡斌",
  "郭强"
]
const PEOPLE_EN = [
  "Anna Fischer",
  "David Okafor",
  "Maria Silva",
  "Tom Becker",
  "Priya Nair",
  "James Hall",
  "Lena Novak",
  "Omar Haddad",
  "Sara Lind",
  "Kevin Moore",
  "Julia Costa",
  "Ben Carter",
  "Mei Tanaka",
  "Paul Duval",
  "Nina Petrova",
  "Liam Walsh"
]
const WEEKDAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
const MONTHS_EN = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December"
]

/** A sentence filler: each call picks fresh slots. */
type Slots = {
  readonly city: () => string
  readonly org: () => string
  readonly topic: () => string
  readonly person: () => string
  readonly n: (min: number, max: number) => number
  readonly dec: (min: number, max: number) => string
  readonly day: () => string
  /** One of two words. */
  readonly pick2: (a: string, b: string) => string
}

const zhSlots = (rng: Rng): Slots => ({
  city: () => rng.pick(CITIES_ZH),
  org: () => rng.pick(ORGS_ZH),
  topic: () => rng.pick(TOPICS_ZH),
  person: () => rng.pick(PEOPLE_ZH),
  n: (a, b) => rng.int(a, b),
  dec: (a, b) => rng.range(a, b).toFixed(1),
  day: () => `${rng.int(1, 12)}月${rng.int(1, 28)}日`,
  pick2: (a, b) => (rng.chance(0.5) ? a : b)
})

const enSlots = (rng: Rng): Slots => ({
  city: () => rng.pick(CITIES_EN),
  org: () => rng.pick(ORGS_EN),
  topic: () => rng.pick(TOPICS_EN),
  person: () => rng.pick(PEOPLE_EN),
  n: (a, b) => rng.int(a, b),
  dec: (a, b) => rng.range(a, b).toFixed(1),
  day: () => (rng.chance(0.5) ? rng.pick(WEEKDAYS_EN) : `${rng.pick(MONTHS_EN)} ${rng.int(1, 28)}`),
  pick2: (a, b) => (rng.chance(0.5) ? a : b)
})

// Chinese text writes ℃ (one character, NFKC °C), as Chinese papers print it: a page of Chinese with °C would count as mixed.
const ZH_SENTENCES: ReadonlyArray<(s: Slots) => string> = [
  (s) =>
    `${s.city()}${s.org()}${s.day()}发布消息，${s.topic()}项目计划投资${s.n(2, 90)}亿元，预计${s.n(2025, 2030)}年完工。`,
  (s) => `据介绍，今年前${s.n(2, 11)}个月，全市共完成${s.topic()}相关工程${s.n(12, 480)}项，同比增长${s.dec(1, 30)}%。`,
  (s) => `记者${s.person()}从${s.org()}了解到，${s.topic()}试点已覆盖${s.n(3, 60)}个街道、${s.n(20, 900)}个社区。`,
  (s) => `“我们每天早上${s.n(6, 9)}点就开始工作，”居民${s.person()}说，“现在出门方便多了。”`,
  (s) => `${s.city()}气象台预计，未来${s.n(2, 7)}天最高气温${s.n(18, 38)}℃，最低气温${s.n(-5, 20)}℃，局部有阵雨。`,
  (s) => `截至${s.day()}，${s.city()}已累计接待游客${s.dec(1, 99)}万人次，旅游收入${s.dec(1, 60)}亿元。`,
  (s) => `专家${s.person()}认为，推进${s.topic()}既要算经济账，也要算民生账，不能一哄而上。`,
  (s) => `按照方案，${s.city()}将新建停车位${s.n(800, 9000)}个、充电桩${s.n(100, 3000)}个，缓解停车难问题。`,
  (s) => `${s.org()}表示，下一步将加强监督检查，对发现的${s.n(3, 40)}类问题建立台账、限期整改。`,
  (s) => `在${s.city()}某小学，${s.n(300, 2000)}名学生参加了以“${s.topic()}”为主题的实践活动。`,
  (s) =>
    `数据显示，${s.city()}去年常住人口为${s.dec(300, 2400)}万人，其中${s.n(60, 80)}岁以上老人占${s.dec(10, 25)}%。`,
  (s) => `该项目由${s.person()}团队负责，共申请专利${s.n(3, 60)}项，相关成果已在${s.n(2, 20)}家企业应用。`,
  (s) => `市民可拨打热线${s.n(12300, 12399)}咨询，或在工作日${s.n(8, 9)}:00至${s.n(17, 18)}:30到服务大厅办理。`,
  (s) => `会议指出，${s.topic()}关系千家万户，必须坚持问题导向，切实解决群众急难愁盼问题。`,
  (s) =>
    `${s.day()}上午，${s.city()}至${s.city()}的首趟列车正式开通，全程约${s.n(120, 1800)}公里，运行时间缩短${s.n(20, 120)}分钟。`,
  (s) => `调查显示，受访者中有${s.dec(40, 90)}%的人表示支持${s.topic()}，${s.dec(2, 20)}%的人持保留意见。`,
  (s) => `今年以来，${s.city()}新增就业岗位${s.dec(1, 30)}万个，城镇调查失业率保持在${s.dec(3, 6)}%左右。`,
  (s) => `${s.person()}是一名有${s.n(5, 30)}年经验的工程师，他说：“每一个细节都不能马虎。”`,
  (s) => `据统计，${s.city()}全年空气质量优良天数达到${s.n(250, 350)}天，比上年增加${s.n(3, 30)}天。`,
  (s) => `${s.org()}提醒，${s.day()}起${s.topic()}新规正式施行，违者最高可处${s.n(1, 50)}000元罚款。`
]

const EN_SENTENCES: ReadonlyArray<(s: Slots) => string> = [
  (s) =>
    `Officials in ${s.city()} said on ${s.day()} that ${s.topic()} would cost about $${s.n(2, 90)} million and open in ${s.n(2025, 2030)}.`,
  (s) => `${s.person()}, who has lived in the area for ${s.n(3, 40)} years, said the change was "long overdue".`,
  (s) =>
    `According to ${s.org()}, ${s.n(120, 9800)} households have signed up so far, up ${s.dec(1, 40)}% from last year.`,
  (s) =>
    `The plan, approved by a vote of ${s.n(5, 9)} to ${s.n(1, 4)}, sets aside ${s.n(10, 95)} acres for parks and housing.`,
  (s) =>
    `Temperatures are expected to reach ${s.n(12, 38)} degrees by ${s.day()}, with showers moving in from the west.`,
  (s) => `"We have waited a long time for this," said ${s.person()}, a teacher at a local school.`,
  (s) => `Critics argue that ${s.topic()} has already run ${s.n(3, 18)} months late and ${s.dec(1, 30)}% over budget.`,
  (s) =>
    `A spokesperson for ${s.org()} declined to comment on the figures, citing a review due in ${s.pick2("spring", "autumn")}.`,
  (s) =>
    `Ticket sales rose to ${s.n(10, 99)},${s.n(100, 999)} in the first week, the highest since ${s.n(1998, 2019)}.`,
  (s) => `The report, written by ${s.person()} and colleagues, drew on interviews with ${s.n(40, 900)} residents.`,
  (s) =>
    `Work on ${s.topic()} in ${s.city()} is set to begin on ${s.day()} and will close ${s.n(2, 9)} streets at night.`,
  (s) => `Police said ${s.n(2, 30)} people were questioned and ${s.n(1, 5)} were later released without charge.`,
  (s) => `Shares in the company fell ${s.dec(1, 15)}% on ${s.day()} after it cut its forecast for the year.`,
  (s) =>
    `The museum will stay open until ${s.n(8, 11)} p.m. on Fridays, and entry for children under ${s.n(5, 16)} is free.`,
  (s) =>
    `${s.person()} scored twice in the second half as ${s.city()} won ${s.n(2, 5)}-${s.n(0, 1)} in front of ${s.n(8, 60)},${s.n(100, 999)} fans.`,
  (s) => `Volunteers planted ${s.n(200, 5000)} trees along the river over the weekend, the group said.`,
  (s) => `Residents can comment on the proposal online or at the town hall until ${s.day()}.`,
  (s) =>
    `The new service runs every ${s.n(5, 20)} minutes at peak times and costs $${s.n(1, 4)}.${s.n(10, 95)} per trip.`,
  (s) => `In a statement, ${s.org()} said it had received ${s.n(30, 800)} complaints since the start of the year.`,
  (s) => `Experts warn that without more funding, ${s.topic()} could face cuts of up to ${s.n(10, 40)}% next year.`
]

/** The languages an archetype page is written in. */
export type PageLanguage = "zh" | "en" | "mixed"

/** A news sentence; a mixed page takes Chinese or English sentence by sentence. */
export const newsSentence = (rng: Rng, lang: PageLanguage): string => {
  const en = lang === "en" || (lang === "mixed" && rng.chance(0.35))
  const slots = en ? enSlots(rng) : zhSlots(rng)
  // Some whole templates (quotes, weather, sport); the rest built from parts, so lines rarely repeat
  // (fewer templates in English, whose narrow columns break a fixed phrase the same way each time).
  if (rng.chance(en ? 0.15 : 0.25)) return rng.pick(en ? EN_SENTENCES : ZH_SENTENCES)(slots)
  return compose(rng, slots, en ? NEWS_EN : NEWS_ZH, en)
}

/** Parts of a built sentence: an opener, a subject, a predicate, a complement. */
interface Grammar {
  readonly openers: ReadonlyArray<(s: Slots) => string>
  readonly subjects: ReadonlyArray<(s: Slots) => string>
  readonly predicates: ReadonlyArray<(s: Slots) => string>
  readonly complements: ReadonlyArray<(s: Slots) => string>
}

const compose = (rng: Rng, s: Slots, g: Grammar, en: boolean): string => {
  const text = `${rng.pick(g.openers)(s)}${rng.pick(g.subjects)(s)}${en ? " " : ""}${rng.pick(g.predicates)(s)}${rng.pick(g.complements)(s)}${en ? "." : "。"}`
  return text.charAt(0).toUpperCase() + text.slice(1)
}

const NEWS_EN: Grammar = {
  openers: [
    () => "",
    () => "",
    () => "",
    () => "",
    () => "",
    (s) => `On ${s.day()}, `,
    () => "Earlier this year, ",
    (s) => `According to ${s.org()}, `,
    (s) => `In ${s.city()}, `,
    () => "Last week, ",
    () => "After months of debate, "
  ],
  subjects: [
    (s) => s.org(),
    (s) => s.person(),
    (s) => `residents of ${s.city()}`,
    (s) => `a group of ${s.n(12, 400)} volunteers`,
    (s) => `the mayor of ${s.city()}`,
    () => "local businesses",
    (s) => `${s.n(20, 900)} teachers`,
    (s) => `officials in ${s.city()}`,
    (s) => `a report by ${s.person()}`
  ],
  predicates: [
    (s) => `approved a plan to expand ${s.topic()}`,
    (s) => `called for more money for ${s.topic()}`,
    (s) => `opened ${s.topic()} to the public`,
    (s) => `warned that ${s.topic()} could be delayed until ${s.n(2026, 2031)}`,
    (s) => `raised $${s.n(2, 90)} million for ${s.topic()}`,
    (s) => `voted to close ${s.topic()} for repairs`,
    (s) => `asked for a public inquiry into ${s.topic()}`,
    (s) => `signed a ${s.n(2, 15)}-year contract for ${s.topic()}`,
    (s) => `published new figures on ${s.topic()}`,
    (s) => `cut the budget for ${s.topic()} by ${s.n(3, 40)}%`,
    (s) => `promised to finish ${s.topic()} by ${s.n(2026, 2031)}`,
    (s) => `held an open meeting about ${s.topic()}`,
    (s) => `complained about the noise from ${s.topic()}`,
    (s) => `welcomed the decision on ${s.topic()}`,
    (s) => `found ${s.n(3, 60)} faults in ${s.topic()}`,
    (s) => `spent ${s.n(2, 30)} days inspecting ${s.topic()}`
  ],
  complements: [
    () => "",
    () => "",
    (s) => ` at a cost of $${s.dec(1, 90)} million`,
    (s) => ` after a vote of ${s.n(5, 9)} to ${s.n(1, 4)}`,
    (s) => ` despite ${s.n(12, 900)} complaints`,
    (s) => ` with the support of ${s.n(3, 40)} local groups`,
    (s) => ` for the first time since ${s.n(1990, 2019)}`,
    () => ", a move that surprised many",
    (s) => ` on ${s.day()}`
  ]
}

const NEWS_ZH: Grammar = {
  openers: [
    () => "",
    () => "",
    (s) => `${s.day()}，`,
    () => "近日，",
    () => "今年以来，",
    (s) => `据${s.org()}消息，`,
    (s) => `记者从${s.org()}获悉，`
  ],
  subjects: [
    (s) => `${s.city()}${s.org()}`,
    (s) => `${s.city()}市民${s.person()}`,
    (s) => `${s.n(12, 900)}名志愿者`,
    (s) => `${s.city()}多家企业`,
    (s) => `${s.org()}负责人${s.person()}`,
    (s) => `${s.city()}${s.n(3, 90)}个社区`,
    (s) => `${s.city()}市民`
  ],
  predicates: [
    (s) => `启动了${s.topic()}专项行动`,
    (s) => `宣布投入${s.dec(1, 90)}亿元推进${s.topic()}`,
    (s) => `召开${s.topic()}工作推进会`,
    (s) => `发布了关于${s.topic()}的调查报告`,
    (s) => `完成了${s.topic()}${s.pick2("一期", "二期")}工程`,
    (s) => `提出了${s.n(3, 30)}条关于${s.topic()}的建议`,
    (s) => `表示将在${s.n(2026, 2031)}年前完成${s.topic()}`,
    (s) => `对${s.topic()}进行了为期${s.n(2, 30)}天的检查`,
    (s) => `与${s.n(3, 40)}家单位签订了${s.topic()}合作协议`,
    (s) => `为${s.topic()}募集资金${s.n(10, 900)}万元`,
    (s) => `走访了${s.n(10, 300)}户居民，听取对${s.topic()}的意见`,
    (s) => `在${s.city()}举办${s.topic()}成果展`
  ],
  complements: [
    () => "",
    () => "",
    (s) => `，覆盖人口约${s.dec(1, 300)}万`,
    (s) => `，同比增长${s.dec(1, 40)}%`,
    () => "，受到群众普遍欢迎",
    (s) => `，预计${s.n(2026, 2031)}年投入使用`,
    (s) => `，共有${s.n(30, 5000)}人参加`,
    (s) => `，发现问题${s.n(3, 90)}个`
  ]
}

/** A paragraph of `min`..`max` news sentences. */
export const newsParagraph = (rng: Rng, lang: PageLanguage, min = 2, max = 4): string => {
  const n = rng.int(min, max)
  const parts = Array.from({ length: n }, () => newsSentence(rng, lang))
  return parts.reduce(
    (acc, p) =>
      acc === "" ? p : /[\p{Script=Han}。”]$/u.test(acc) && /^\p{Script=Han}/u.test(p) ? acc + p : `${acc} ${p}`,
    ""
  )
}

const HEADLINES_ZH: ReadonlyArray<(s: Slots) => string> = [
  (s) => `${s.city()}${s.topic()}项目正式启动`,
  (s) => `${s.city()}今年将新增${s.n(2, 30)}所中小学`,
  (s) => `${s.topic()}：${s.n(3, 12)}项新举措惠及百姓`,
  (s) => `${s.city()}至${s.city()}高铁${s.day()}通车`,
  (s) => `前${s.n(2, 11)}月${s.city()}经济稳中向好`,
  (s) => `${s.org()}部署${s.topic()}工作`,
  (s) => `${s.n(3, 20)}万市民参与${s.topic()}`,
  (s) => `${s.city()}：让${s.topic()}更有温度`
]

const HEADLINES_EN: ReadonlyArray<(s: Slots) => string> = [
  (s) => `${s.city()} approves $${s.n(2, 90)}m plan for ${s.topic()}`,
  (s) => `Council backs ${s.topic()} after long debate`,
  (s) => `${s.city()} wins ${s.n(2, 5)}-${s.n(0, 1)} to stay top`,
  (s) => `Residents split over ${s.topic()}`,
  (s) => `Heat to reach ${s.n(30, 40)} degrees by ${s.day()}`,
  (s) => `${s.person()} named head of ${s.org().replace(/^the /, "")}`,
  (s) => `Delays hit ${s.topic()} again`,
  (s) => `${s.n(3, 20)},000 sign petition on ${s.topic()}`
]

/** A headline in the page's language (a mixed page takes either). */
export const headline = (rng: Rng, lang: PageLanguage): string => {
  const en = lang === "en" || (lang === "mixed" && rng.chance(0.35))
  const slots = en ? enSlots(rng) : zhSlots(rng)
  const text = rng.pick(en ? HEADLINES_EN : HEADLINES_ZH)(slots)
  return en ? text.charAt(0).toUpperCase() + text.slice(1) : text
}

/** A person's name as a form or ticket prints it. */
export const personName = (rng: Rng, style: "zh" | "en" | "pinyin"): string => {
  if (style === "zh") return rng.pick(PEOPLE_ZH)
  if (style === "en") return rng.pick(PEOPLE_EN)
  return rng.pick(["ZHANG/WEI", "WANG/FANG", "LI/NA", "LIU/YANG", "CHEN/JING", "YANG/FAN", "ZHAO/LEI", "HUANG/MIN"])
}

/** A city of the language. */
export const city = (rng: Rng, lang: "zh" | "en"): string => rng.pick(lang === "zh" ? CITIES_ZH : CITIES_EN)

/** Airports: Chinese name, English name, IATA code. */
export const AIRPORTS: ReadonlyArray<readonly [string, string, string]> = [
  ["北京首都", "BEIJING", "PEK"],
  ["上海浦东", "SHANGHAI PUDONG", "PVG"],
  ["广州白云", "GUANGZHOU", "CAN"],
  ["深圳宝安", "SHENZHEN", "SZX"],
  ["成都天府", "CHENGDU TIANFU", "TFU"],
  ["杭州萧山", "HANGZHOU", "HGH"],
  ["西安咸阳", "XI'AN", "XIY"],
  ["昆明长水", "KUNMING", "KMG"],
  ["香港", "HONG KONG", "HKG"],
  ["东京成田", "TOKYO NARITA", "NRT"]
]

/** Railway stations. */
export const STATIONS: ReadonlyArray<readonly [string, string]> = [
  ["北京南", "Beijingnan"],
  ["上海虹桥", "Shanghaihongqiao"],
  ["广州南", "Guangzhounan"],
  ["杭州东", "Hangzhoudong"],
  ["南京南", "Nanjingnan"],
  ["武汉", "Wuhan"],
  ["西安北", "Xi'anbei"],
  ["成都东", "Chengdudong"],
  ["郑州东", "Zhengzhoudong"],
  ["长沙南", "Changshanan"]
]

/** Digits of length `n`. */
export const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => rng.int(0, 9)).join("")

/** A Chinese ID number with its middle masked, as tickets print it. */
export const maskedId = (rng: Rng): string =>
  `${rng.pick(["110", "310", "440", "510", "330"])}${digits(rng, 3)}********${digits(rng, 3)}${rng.pick(["X", String(rng.int(0, 9))])}`

/** A date as `YYYY-MM-DD` or `YYYY年MM月DD日`. */
export const date = (rng: Rng, style: "iso" | "zh" | "en"): string => {
  const y = rng.int(2023, 2026)
  const m = rng.int(1, 12)
  const d = rng.int(1, 28)
  const p = (v: number) => String(v).padStart(2, "0")
  if (style === "zh") return `${y}年${p(m)}月${p(d)}日`
  if (style === "en") return `${p(d)}${MONTHS_EN[m - 1]!.slice(0, 3).toUpperCase()}${String(y).slice(2)}`
  return `${y}-${p(m)}-${p(d)}`
}

/** A time `HH:MM`. */
export const time = (rng: Rng): string =>
  `${String(rng.int(6, 22)).padStart(2, "0")}:${String(rng.pick([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55])).padStart(2, "0")}`

/** Money with two decimals. */
export const money = (rng: Rng, min: number, max: number): string => rng.range(min, max).toFixed(2)

/** Street addresses. */
export const address = (rng: Rng, lang: "zh" | "en"): string =>
  lang === "zh"
    ? `${rng.pick(CITIES_ZH)}市${rng.pick(["海淀区", "朝阳区", "浦东新区", "天河区", "武侯区", "西湖区"])}${rng.pick(["中关村大街", "人民路", "建设路", "解放路", "学院路", "长江路"])}${rng.int(1, 300)}号`
    : `${rng.int(1, 999)} ${rng.pick(["Elm Street", "Harbour Road", "Mill Lane", "King Avenue", "Park Row", "Station Road"])}, ${rng.pick(CITIES_EN)}`

/** Goods and services on an invoice, with their unit. */
export const INVOICE_ITEMS: ReadonlyArray<readonly [string, string]> = [
  ["*信息技术服务*软件服务费", "项"],
  ["*办公用品*打印纸 A4", "箱"],
  ["*计算机外部设备*显示器", "台"],
  ["*餐饮服务*餐费", "次"],
  ["*运输服务*国内道路货物运输", "次"],
  ["*电子元件*电阻器", "个"],
  ["*现代服务*技术咨询费", "项"],
  ["*印刷品*宣传册", "本"]
]

const PAPER_EN: ReadonlyArray<(s: Slots) => string> = [
  (s) =>
    `We evaluate the method on ${s.n(200, 9000)} page images and report a character error rate of ${s.dec(1, 9)}%.`,
  (s) =>
    `Compared with the baseline, the proposed model reduces the error by ${s.dec(5, 40)}% while using ${s.n(2, 9)} times fewer parameters.`,
  (s) =>
    `Table ${s.n(1, 6)} lists the results for each subset; the largest gain is on pages with ${s.n(3, 6)} or more columns.`,
  (s) => `Following prior work, we resize every image so that its shorter side is ${s.n(6, 12) * 64} pixels.`,
  (s) =>
    `The network is trained for ${s.n(20, 300)} epochs with a batch size of ${s.pick2("16", "32")} and a learning rate of 0.00${s.n(1, 5)}.`,
  (_s) =>
    `Reading order is scored with the normalised edit distance between the predicted and the true sequence of lines.`,
  (s) => `Most errors occur at column boundaries, where ${s.dec(10, 60)}% of the misordered lines are found.`,
  (s) =>
    `Our implementation runs at ${s.dec(1, 30)} pages per second on a single CPU core with ${s.n(2, 16)} GB of memory.`,
  (s) =>
    `In the ablation study, removing the layout features increases the error from ${s.dec(1, 5)}% to ${s.dec(5, 15)}%.`,
  (s) => `The dataset contains ${s.n(2, 60)} thousand lines in Chinese and English, annotated by ${s.n(3, 20)} people.`,
  (_s) =>
    `Text detection is formulated as the segmentation of a probability map followed by a differentiable binarisation.`,
  (_s) => `We leave the study of handwritten and vertical text to future work.`,
  (s) =>
    `All experiments were repeated ${s.n(3, 10)} times with different seeds; the standard deviation is below ${s.dec(0, 1)}%.`,
  (s) => `Figure ${s.n(1, 6)} shows that accuracy drops sharply when the glyph height falls below ${s.n(6, 12)} pixels.`
]

const PAPER_ZH: ReadonlyArray<(s: Slots) => string> = [
  (s) => `我们在${s.n(200, 9000)}张页面图像上评估了该方法，字符错误率为${s.dec(1, 9)}%。`,
  (s) => `与基线方法相比，本文模型的错误率降低了${s.dec(5, 40)}%，参数量仅为其${s.n(10, 50)}%。`,
  (s) => `表${s.n(1, 6)}给出了各子集上的结果，在${s.n(3, 6)}栏及以上的页面上提升最为明显。`,
  (s) => `实验中，图像的短边统一缩放到${s.n(6, 12) * 64}像素，训练共进行${s.n(20, 300)}轮。`,
  (_s) => `阅读顺序采用预测行序列与真实行序列之间的归一化编辑距离进行评价。`,
  (s) => `分析表明，约${s.dec(10, 60)}%的顺序错误出现在分栏边界附近。`,
  (s) => `在单个 CPU 核心上，本文方法每秒可处理${s.dec(1, 30)}页，内存占用约${s.n(2, 16)} GB。`,
  (s) => `消融实验显示，去掉版面特征后错误率由${s.dec(1, 5)}%上升到${s.dec(5, 15)}%。`,
  (s) => `数据集共包含中英文文本行${s.n(2, 60)}万条，由${s.n(3, 20)}名标注人员完成标注。`,
  (_s) => `文本检测被建模为概率图分割问题，并引入可微分二值化模块。`,
  (s) => `图${s.n(1, 6)}表明，当字符高度低于${s.n(6, 12)}像素时，识别准确率明显下降。`,
  (s) => `所有实验均使用${s.n(3, 10)}个不同的随机种子重复进行，标准差小于${s.dec(0, 1)}%。`
]

/** A paragraph of academic prose. */
export const paperParagraph = (rng: Rng, lang: PageLanguage): string => {
  const n = rng.int(2, 5)
  const parts = Array.from({ length: n }, () => {
    const en = lang === "en" || (lang === "mixed" && rng.chance(0.3))
    const slots = en ? enSlots(rng) : zhSlots(rng)
    if (rng.chance(0.3)) return rng.pick(en ? PAPER_EN : PAPER_ZH)(slots)
    return compose(rng, slots, en ? ACADEMIC_EN : ACADEMIC_ZH, en)
  })
  return parts.reduce(
    (acc, p) => (acc === "" ? p : /[。]$/u.test(acc) && /^[\p{Script=Han}表图]/u.test(p) ? acc + p : `${acc} ${p}`),
    ""
  )
}

const BENCHMARKS = ["DocBank", "PubLayNet", "ICDAR 2019", "SynthDocs", "ReadingBank", "CTW-1500"]

const ACADEMIC_EN: Grammar = {
  openers: [
    () => "",
    () => "",
    () => "In this section, ",
    (s) => `As shown in Table ${s.n(1, 6)}, `,
    (s) => `Following ${s.person().split(" ")[1]} et al., `,
    () => "To reduce the cost, ",
    (s) => `On the ${s.pick2(BENCHMARKS[s.n(0, 2)]!, BENCHMARKS[s.n(3, 5)]!)} benchmark, `,
    () => "In contrast, "
  ],
  subjects: [
    () => "the proposed model",
    () => "our detector",
    () => "the baseline",
    () => "this method",
    () => "the layout module",
    () => "a simple heuristic",
    () => "the recogniser",
    (s) => `the ${s.n(2, 12)}-layer variant`
  ],
  predicates: [
    (s) => `reaches a character error rate of ${s.dec(0, 12)}%`,
    (s) => `processes ${s.dec(1, 40)} pages per second`,
    (s) => `reduces the reading-order error by ${s.dec(2, 60)}%`,
    (s) => `raises recall on dense pages from ${s.dec(60, 80)}% to ${s.dec(81, 99)}%`,
    (s) => `uses ${s.dec(1, 90)} million parameters`,
    (s) => `is trained on ${s.n(2, 900)} thousand synthetic pages`,
    (s) => `fails on ${s.dec(1, 30)}% of the photographed pages`,
    (s) => `splits each page into ${s.n(2, 16)} overlapping tiles`,
    (s) => `merges ${s.dec(1, 20)}% of the lines across column gaps`,
    (s) => `keeps the error below ${s.dec(1, 9)}% up to a tilt of ${s.n(2, 15)} degrees`
  ],
  complements: [
    () => "",
    () => "",
    (s) => ` at ${s.pick2("150", "300")} dpi`,
    () => " without any manual labels",
    () => " on a single CPU core",
    (s) => ` when glyphs are smaller than ${s.n(6, 14)} pixels`,
    (s) => ` across all ${s.n(3, 12)} subsets`
  ]
}

const ACADEMIC_ZH: Grammar = {
  openers: [
    () => "",
    () => "",
    () => "本节中，",
    (s) => `如表${s.n(1, 6)}所示，`,
    () => "为降低计算量，",
    () => "相比之下，"
  ],
  subjects: [
    () => "本文方法",
    () => "基线模型",
    () => "检测模块",
    () => "版面分析模块",
    () => "该启发式方法",
    () => "识别模型",
    (s) => `${s.n(2, 12)}层的变体`
  ],
  predicates: [
    (s) => `的字符错误率为${s.dec(0, 12)}%`,
    (s) => `每秒可处理${s.dec(1, 40)}页`,
    (s) => `将阅读顺序错误降低了${s.dec(2, 60)}%`,
    (s) => `在密集页面上的召回率由${s.dec(60, 80)}%提高到${s.dec(81, 99)}%`,
    (s) => `共有${s.dec(1, 90)}百万个参数`,
    (s) => `在${s.n(2, 900)}千张合成页面上进行训练`,
    (s) => `把每页切分为${s.n(2, 16)}个相互重叠的图块`,
    (s) => `在倾斜${s.n(2, 15)}度以内时错误率低于${s.dec(1, 9)}%`
  ],
  complements: [
    () => "",
    () => "",
    (s) => `（${s.pick2("150", "300")} dpi）`,
    () => "，且无需人工标注",
    () => "，仅使用单个 CPU 核心",
    (s) => `，当字符小于${s.n(6, 14)}像素时尤为明显`
  ]
}

/** Section titles of a paper. */
export const PAPER_SECTIONS: Record<"zh" | "en", ReadonlyArray<string>> = {
  en: ["Introduction", "Related Work", "Method", "Datasets", "Experiments", "Results", "Discussion", "Conclusion"],
  zh: ["引言", "相关工作", "方法", "数据集", "实验设置", "结果与分析", "讨论", "结论"]
}

const PROBLEMS_ZH: ReadonlyArray<(s: Slots) => string> = [
  (s) => `小明买了${s.n(2, 12)}支铅笔，每支${s.n(2, 9)}元，他付了${s.n(50, 100)}元，应找回多少元？`,
  (s) => `一辆汽车${s.n(2, 6)}小时行驶了${s.n(120, 480)}千米，照这样的速度，${s.n(7, 10)}小时能行驶多少千米？`,
  (s) => `一个长方形的长是${s.n(6, 20)}厘米，宽是${s.n(2, 5)}厘米，它的周长和面积各是多少？`,
  (s) => `学校图书馆有图书${s.n(2000, 9000)}本，其中科技书占${s.n(10, 40)}%，科技书有多少本？`,
  (s) => `甲、乙两地相距${s.n(100, 600)}千米，两车同时相向而行，${s.n(2, 5)}小时后相遇，求两车的速度和。`,
  (s) => `某商品原价${s.n(80, 500)}元，打${s.n(6, 9)}折后比原价便宜了多少元？`
]

const PROBLEMS_EN: ReadonlyArray<(s: Slots) => string> = [
  (s) => `A train travels ${s.n(120, 480)} km in ${s.n(2, 6)} hours. What is its average speed?`,
  (s) => `Sam buys ${s.n(2, 12)} pencils at ${s.n(20, 90)} cents each. How much does he pay in total?`,
  (s) => `A rectangle is ${s.n(6, 20)} cm long and ${s.n(2, 5)} cm wide. Find its perimeter and its area.`,
  (s) => `There are ${s.n(200, 900)} students in a school and ${s.n(10, 40)}% of them walk to school. How many walk?`,
  (s) => `A shirt costs $${s.n(20, 80)}. In a sale the price is cut by ${s.n(10, 40)}%. What is the new price?`,
  (s) => `Two towns are ${s.n(100, 600)} km apart. How long does a bus at ${s.n(40, 90)} km/h take?`
]

/** A word problem for a textbook exercise. */
export const wordProblem = (rng: Rng, lang: PageLanguage): string => {
  const en = lang === "en" || (lang === "mixed" && rng.chance(0.4))
  return rng.pick(en ? PROBLEMS_EN : PROBLEMS_ZH)(en ? enSlots(rng) : zhSlots(rng))
}

/** An arithmetic or algebra item: `3x + 5 = 20`, `12 × 7 − 9 =`. */
export const mathItem = (rng: Rng): string => {
  const a = rng.int(2, 19)
  const b = rng.int(2, 49)
  const c = rng.int(10, 99)
  return rng.pick([
    `${a}x + ${b} = ${c}`,
    `${a}x − ${b} = ${c}`,
    `${c} − ${a}(x + ${(b % 9) + 1}) = ${b}`,
    `${a} × ${b} − ${c} = ____`,
    `${c * a} ÷ ${a} + ${b} = ____`,
    `${a}/${b} + ${a + 1}/${b} = ____`,
    `x/${a} = ${b}`,
    `${a}(${b} − x) = ${c}`
  ])
}

/** Definitions and explanations for a textbook's body text. */
export const TEXTBOOK_PROSE: Record<"zh" | "en", ReadonlyArray<string>> = {
  zh: [
    "含有未知数的等式叫做方程。使方程左右两边相等的未知数的值，叫做方程的解。",
    "只含有一个未知数，并且未知数的次数都是 1 的方程，叫做一元一次方程。",
    "解方程时，常常要去分母、去括号、移项、合并同类项，最后把未知数的系数化为 1。",
    "等式两边同时加上或减去同一个数，结果仍是等式；等式两边同时乘同一个数，或除以同一个不为 0 的数，结果仍是等式。",
    "长方形的周长等于长与宽的和的 2 倍，面积等于长乘宽。",
    "把一个数平均分成若干份，表示这样的一份或几份的数，叫做分数。",
    "列方程解应用题，关键是找出题目中的等量关系。",
    "检验是解题的最后一步：把求得的解代入原方程，看左右两边是否相等。"
  ],
  en: [
    "An equation is a statement that two expressions are equal. A solution is a value of the unknown that makes the statement true.",
    "To solve a linear equation, do the same operation to both sides until the unknown stands alone.",
    "The perimeter of a rectangle is twice the sum of its length and width; its area is the length times the width.",
    "A fraction names a part of a whole: the denominator tells how many equal parts, the numerator how many are taken.",
    "When you multiply or divide both sides of an equation by the same non-zero number, the equation stays balanced.",
    "Always check your answer by putting it back into the original equation.",
    "A percentage is a fraction with a denominator of 100, so 35% means 35 out of every 100.",
    "To find the average speed, divide the total distance by the total time taken."
  ]
}

/** A paper's title. */
export const paperTitle = (rng: Rng, lang: PageLanguage): string => {
  const en = lang === "en" || (lang === "mixed" && rng.chance(0.3))
  const topic = en
    ? rng.pick([
        "Reading Order",
        "Dense Newspaper Pages",
        "Mixed Chinese-English Text",
        "Table Structure",
        "Photographed Documents",
        "Multi-Column Layouts"
      ])
    : rng.pick(["阅读顺序", "密集报纸版面", "中英混排文本", "表格结构", "拍照文档", "多栏版面"])
  return en
    ? `${rng.pick(["Learning", "Recovering", "Robust Recognition of", "Fast Analysis of", "Towards Better"])} ${topic} ${rng.pick(["with Synthetic Pages", "in the Wild", "at Low Resolution", "without Labels"])}`
    : `${rng.pick(["基于合成数据的", "面向低分辨率图像的", "一种快速的", "无监督的"])}${topic}${rng.pick(["识别方法", "分析方法", "研究", "评测"])}`
}

/** A date of birth `YYYY-MM-DD`. */
export const birthDate = (rng: Rng): string =>
  `${rng.int(1955, 2006)}-${String(rng.int(1, 12)).padStart(2, "0")}-${String(rng.int(1, 28)).padStart(2, "0")}`
