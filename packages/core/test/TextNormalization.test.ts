import { describe, expect, it } from "@effect/vitest"
import { normalize, normalizeChars, normalizeRecognized } from "../src/TextNormalization.ts"

describe("TextNormalization.normalize", () => {
  it("removes the spaces Tesseract puts between Chinese characters", () => {
    expect(normalize("网 络 支付 并 无 本 质 的 区 别 ， 因 为")).toBe("网络支付并无本质的区别，因为")
    expect(normalize("等 多 种 形式 。")).toBe("等多种形式。")
    expect(normalize("户 可 以 是 信用 卡 账户 、 借 记 卡 账")).toBe("户可以是信用卡账户、借记卡账")
  })

  it("keeps one space between English words and collapses runs", () => {
    expect(normalize("The  quick   brown fox")).toBe("The quick brown fox")
    expect(normalize("  lazy fox.  ")).toBe("lazy fox.")
    expect(normalize("Revenue reached $3.2B")).toBe("Revenue reached $3.2B")
    expect(normalize("tab\tand\u3000ideographic space")).toBe("tab and ideographic space")
  })

  it("keeps spaces between Chinese and English words as recognised", () => {
    expect(normalize("我 喜 欢 Python 编 程")).toBe("我喜欢 Python 编程")
    expect(normalize("使用Python编程")).toBe("使用Python编程")
  })

  it("sets numbers in Chinese without spaces", () => {
    expect(normalize("2018 年 04 月 19 日 10:51 开")).toBe("2018年04月19日10:51开")
    expect(normalize("共 3 个")).toBe("共3个")
  })

  it("makes punctuation after Chinese full-width", () => {
    expect(normalize("你好,世界.")).toBe("你好，世界。")
    expect(normalize("真的吗?太好了!")).toBe("真的吗？太好了！")
    expect(normalize("注意事项:分开洗涤;不宜浸泡")).toBe("注意事项：分开洗涤；不宜浸泡")
    expect(normalize("增长了50%.")).toBe("增长了50%。")
  })

  it("makes punctuation inside English half-width", () => {
    expect(normalize("Hello，world！")).toBe("Hello,world!")
    expect(normalize("Is it done？Yes。")).toBe("Is it done?Yes.")
    expect(normalize("Hello , world !")).toBe("Hello, world!")
    expect(normalize("call f ( x )")).toBe("call f (x)")
  })

  it("leaves decimals, thousands, times, percentages and list numbers alone", () => {
    expect(normalize("价格是3.2元")).toBe("价格是3.2元")
    expect(normalize("共1,000,000人")).toBe("共1,000,000人")
    expect(normalize("时间:10:51")).toBe("时间：10:51")
    expect(normalize("增长3.5%,利润下降")).toBe("增长3.5%，利润下降")
    expect(normalize("1. 引言")).toBe("1. 引言")
    expect(normalize("第3.2节")).toBe("第3.2节")
    expect(normalize("Rate 4.2000 and 99,878.08")).toBe("Rate 4.2000 and 99,878.08")
  })

  it("leaves URLs and e-mail addresses alone, but not the full stop after them", () => {
    expect(normalize("访问https://example.com/a?b=1获取")).toBe("访问https://example.com/a?b=1获取")
    expect(normalize("网址:www.baidu.com.")).toBe("网址：www.baidu.com.")
    expect(normalize("请发邮件到abc.def@example.com,谢谢")).toBe("请发邮件到abc.def@example.com，谢谢")
    expect(normalize("shop68233570.taobao.com")).toBe("shop68233570.taobao.com")
  })

  it("decides brackets in pairs", () => {
    expect(normalize("(45元/每公斤,100公斤起订)")).toBe("（45元/每公斤，100公斤起订）")
    expect(normalize("Python(一种语言)")).toBe("Python（一种语言）")
    expect(normalize("见附录 (Appendix A) 说明")).toBe("见附录（Appendix A）说明")
    expect(normalize("函数f(x)")).toBe("函数f(x)")
    expect(normalize("(see Appendix A)")).toBe("(see Appendix A)")
    expect(normalize("（1）第一条")).toBe("（1）第一条")
    expect(normalize("(1)第一条")).toBe("（1）第一条")
    expect(normalize("每瓶22元,1000瓶起订)")).toBe("每瓶22元，1000瓶起订）")
  })

  it("handles mixed sentences", () => {
    expect(normalize("Hello world! 你 好 世 界")).toBe("Hello world! 你好世界")
    expect(normalize("我 喜 欢 Python , 因 为 它 简 单 .")).toBe("我喜欢 Python，因为它简单。")
    expect(normalize("我喜欢Python。")).toBe("我喜欢Python。")
    expect(normalize("Revenue reached $3.2B, 同 比 增 长 12%。")).toBe("Revenue reached $3.2B，同比增长12%。")
    expect(normalize("买 票 请 到 12306 发 货 请 到 95306")).toBe("买票请到12306发货请到95306")
    expect(normalize("他 说 “ 你 好 ” 。")).toBe("他说“你好”。")
    expect(normalize("He said “hello” to me.")).toBe("He said “hello” to me.")
    expect(normalize("产 品 信 息 / 参 数")).toBe("产品信息/参数")
    expect(normalize("input / output 输 入")).toBe("input / output 输入")
  })

  it("leaves runs of marks as they are", () => {
    expect(normalize("等等...")).toBe("等等...")
    expect(normalize("Wait...what?!")).toBe("Wait...what?!")
  })

  it("turns full-width letters and digits into ASCII", () => {
    expect(normalize("ＡＢＣ１２３")).toBe("ABC123")
    expect(normalize("增长５０％")).toBe("增长50%")
  })

  it("is idempotent", () => {
    for (const text of [
      "网 络 支付 并 无 本 质 的 区 别 ， 因 为",
      "我 喜 欢 Python , 因 为 它 简 单 .",
      "Hello , world !",
      "(45元/每公斤,100公斤起订)",
      "访问https://example.com/a?b=1获取"
    ]) {
      expect(normalize(normalize(text))).toBe(normalize(text))
    }
  })

  it("returns an empty string for blank text", () => {
    expect(normalize("")).toBe("")
    expect(normalize("   ")).toBe("")
  })
})

describe("TextNormalization.normalizeChars", () => {
  it("keeps each character's data and drops the removed spaces", () => {
    const chars = [..."你 好 ,"].map((text, i) => ({ text, start: i / 5, end: (i + 1) / 5, confidence: 0.9 }))
    const out = normalizeChars(chars)
    expect(out.map((c) => c.text)).toEqual(["你", "好", "，"])
    expect(out.map((c) => c.start)).toEqual([0, 2 / 5, 4 / 5])
  })

  it("normalises a recognised line with its characters when they spell its text", () => {
    const chars = [..."共 3 个 ."].map((text, i) => ({ text, start: i / 7, end: (i + 1) / 7, confidence: 0.8 }))
    const out = normalizeRecognized({ text: "共 3 个 .", confidence: 0.8, chars })
    expect(out.text).toBe("共3个。")
    expect(out.chars?.map((c) => c.text).join("")).toBe("共3个。")
    expect(normalizeRecognized({ text: "你 好", confidence: 1, chars: [] }).text).toBe("你好")
    const mismatched = normalizeRecognized({
      text: "你 好",
      confidence: 1,
      chars: [{ text: "x", start: 0, end: 1, confidence: 1 }]
    })
    expect(mismatched.text).toBe("你好")
    expect(mismatched.chars).toHaveLength(1)
  })
})
