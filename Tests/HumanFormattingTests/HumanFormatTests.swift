import Foundation
import HumanFormatting
import Testing

/// How the chat words lengths of time, moments and numbers, and which language a code means.
struct HumanFormatTests {
    @Test func russianPluralsFollowTheNumber() {
        let forms = [1, 2, 5, 11, 21, 22, 25].map { HumanFormat.ruPlural($0, "проверка", "проверки", "проверок") }
        #expect(forms == ["проверка", "проверки", "проверок", "проверок", "проверка", "проверки", "проверок"])
    }

    @Test func everyLanguageCodeIsReadByOneRuleEnglishOnlyForEnRussianOtherwise() {
        #expect(Language(code: "en") == .en)
        #expect(Language(code: "en-GB") == .en)
        #expect(Language(code: "EN") == .en)
        #expect(Language(code: "ru") == .ru)
        #expect(Language(code: "de") == .ru)
        #expect(Language(code: "") == .ru)
        #expect(Language(code: nil) == .ru)
    }

    @Test func durationsAreCompactInBothLanguages() {
        #expect(HumanFormat.duration(45, .ru) == "45 с")
        #expect(HumanFormat.duration(3 * 3600 + 5 * 60, .ru) == "3 ч 5 мин")
        #expect(HumanFormat.duration(2 * 86_400 + 4 * 3600, .en) == "2 d 4 h")
        #expect(HumanFormat.duration(-5, .en) == "0 s")
    }

    @Test func timesAreWrittenInUTCAndMillisecondsKeepOneDecimalUnderTen() {
        let date = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(HumanFormat.timestamp(date) == "2027-01-15 08:00:00 UTC")
        #expect(HumanFormat.day(date) == "2027-01-15")
        #expect(HumanFormat.milliseconds(3.44) == "3.4")
        #expect(HumanFormat.milliseconds(120.4) == "120")
        #expect(HumanFormat.milliseconds(.milliseconds(12)) == "12")
    }
}
