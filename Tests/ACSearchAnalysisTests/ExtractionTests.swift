import ACSearchAPI
import XCTest
@testable import ACSearchAnalysis

final class DocumentNumberTests: XCTestCase {
    func testEverySpellingOfANumberMeets() {
        let spellings = ["67-QĐ/TW", "67-QD/TW", "67 - QĐ/TW", "Quy định số 67-QĐ/TW", "Regulation No. 67-QD/TW",
                         "67-qđ/TW"]
        for spelling in spellings {
            let found = DocumentNumber.find(in: spelling).map(\.number.canonical)
            XCTAssertEqual(found.first, "67-QD/TW", spelling)
        }
    }

    func testStateForms() {
        XCTAssertEqual(DocumentNumber("05/2022/NĐ-CP")?.canonical, "5/2022/ND-CP")
        XCTAssertEqual(DocumentNumber("5/2022/ND-CP")?.canonical, "5/2022/ND-CP")
        XCTAssertEqual(DocumentNumber("12/2023/TT-BTC")?.canonical, "12/2023/TT-BTC")
        XCTAssertEqual(DocumentNumber("1843/KL-TTCP")?.canonical, "1843/KL-TTCP")
        XCTAssertEqual(DocumentNumber("1843/KL-TTCP")?.code, "KL")
        XCTAssertEqual(DocumentNumber("36/2018/QH14")?.canonical, "36/2018/QH14")
        XCTAssertEqual(DocumentNumber("05-CT/TW")?.documentType, "directive")
    }

    func testNotNumbers() {
        XCTAssertTrue(DocumentNumber.find(in: "63/63 provinces; 2,196 documents; 1,858 defendants; 530 new cases/1,858").isEmpty)
        XCTAssertNil(DocumentNumber("hello"))
    }

    /// Only windows around digits followed by "-" or "/" are searched: that must find
    /// exactly what searching the whole folded text finds, at the same offsets.
    func testWindowedSearchFindsWhatTheWholeTextSearchFinds() throws {
        let filler = String(repeating: "Thanh tra tỉnh Hải Dương kết luận 12 vụ, ", count: 3)
        var texts = [
            "67-QĐ/TW", "x67-QD/TW", "Số: 67-QĐ/TW ngày 02/6/2022", "05/2022/NĐ-CP và 1843/KL-TTCP, 36/2018/QH14.",
            "e\u{301}67-QĐ/TW", "é67-QĐ/TW", "ß 67-QĐ/TW æ 05/2022/NĐ-CP", "67 - QĐ / TW", "67\u{301}-QĐ/TW",
            "١٢-QD/TW and 12-QD/TW", "12 \u{301}-QD/TW", "1234567-QD/TW 123456-QD/TW", "/67-QD/TW -67-QD/TW",
            "67-QD/TWX 67-QD/TW2", "67-QD/", "-", "", "2022/2023/2024/5/2022/ND-CP",
            filler + "67-QĐ/TW. " + filler + "05/2022/NĐ-CP; " + filler, "12/" + filler + "-QD/TW",
            (0..<40).map { "\($0)-QD/TW" }.joined(separator: " "),
            (0..<30).map { "\($0)/\(2000 + $0)/ND-CP \u{1EA1}" }.joined(),
        ]
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        for file in (try? FileManager.default.contentsOfDirectory(atPath: corpus.path)) ?? [] {
            texts.append(try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8))
        }
        func described(_ found: [(number: DocumentNumber, offset: Int)]) -> [String] {
            found.map { "\($0.number.canonical) \($0.number.written) \($0.offset)" }
        }
        for text in texts {
            XCTAssertEqual(described(DocumentNumber.find(in: text)), described(DocumentNumber.find(in: text, windowed: false)), text)
        }
        XCTAssertEqual(DocumentNumber.find(in: texts[18]).map(\.number.canonical), ["67-QD/TW", "5/2022/ND-CP"])
        XCTAssertEqual(DocumentNumber.find(in: texts[20]).count, 40)
    }

    func testWrittenFormIsKept() {
        XCTAssertEqual(DocumentNumber.find(in: "theo Quy định số 67-QĐ/TW ngày").first?.number.written, "67-QĐ/TW")
    }
}

final class DateTests: XCTestCase {
    func testEnglishDates() {
        XCTAssertEqual(DateExtractor.find(in: "dated June 2, 2022 on").map(\.date.description), ["2022-06-02"])
        XCTAssertEqual(DateExtractor.find(in: "on 2 June 2022,").map(\.date.description), ["2022-06-02"])
        XCTAssertEqual(DateExtractor.find(in: "By August 5, 2022, just").map(\.date.description), ["2022-08-05"])
    }

    func testDateFormsArePaddedAsPrintfWould() throws {
        for (year, month, day) in [(2022, 6, 2), (1999, 12, 31), (1900, 1, 1), (2100, 10, 9)] {
            let date = try XCTUnwrap(CalendarDate(year: year, month: month, day: day))
            XCTAssertEqual(date.compact, String(format: "%04d%02d%02d", year, month, day))
            XCTAssertEqual(date.description, String(format: "%04d-%02d-%02d", year, month, day))
        }
    }

    func testVietnameseDates() {
        XCTAssertEqual(DateExtractor.find(in: "Hà Nội, ngày 02 tháng 6 năm 2022").map(\.date.description), ["2022-06-02"])
        XCTAssertEqual(DateExtractor.find(in: "ngày 2/6/2022, Ban").map(\.date.description), ["2022-06-02"])
        XCTAssertEqual(DateExtractor.find(in: "ký ngày 19-6-2023").map(\.date.description), ["2023-06-19"])
    }

    func testImpossibleDatesAreIgnored() {
        XCTAssertTrue(DateExtractor.find(in: "31/2/2022 and 45/13/2020").isEmpty)
        XCTAssertNil(CalendarDate(parsing: "2022-02-30"))
        XCTAssertEqual(CalendarDate(parsing: "20220602")?.description, "2022-06-02")
        XCTAssertEqual(CalendarDate(parsing: "2/6/2022")?.description, "2022-06-02")
        XCTAssertEqual(CalendarDate(parsing: " 2022-06-02\t")?.description, "2022-06-02")
        // A record's date is a day: a month or a year alone is not one (ranges take them).
        XCTAssertNil(CalendarDate(parsing: "2022-06"))
        XCTAssertNil(CalendarDate(parsing: "2022"))
    }
}

final class GazetteerTests: XCTestCase {
    let gazetteer = Repository.resources.gazetteer

    func testEveryUnitBeforeAndAfterTheMerger() {
        XCTAssertEqual(gazetteer.provinces.count, 63, "the 63 units in use before 1 July 2025")
        XCTAssertEqual(gazetteer.provinces.filter(\.isCurrent).count, 34, "the 34 units since")
        for province in gazetteer.provinces where !province.isCurrent {
            XCTAssertTrue(gazetteer.province(slug: province.now!)!.isCurrent, province.slug)
        }
    }

    func testNamesWithAndWithoutDiacritics() {
        XCTAssertEqual(gazetteer.province(named: "Hải Dương")?.slug, "hai-duong")
        XCTAssertEqual(gazetteer.province(named: "hai duong")?.slug, "hai-duong")
        XCTAssertEqual(gazetteer.province(named: "Hanoi")?.slug, "ha-noi")
        XCTAssertEqual(gazetteer.province(named: "HCMC")?.slug, "ho-chi-minh-city")
        XCTAssertEqual(gazetteer.province(named: "Thừa Thiên Huế")?.slug, "hue")
        XCTAssertEqual(gazetteer.province(named: "hai-duong")?.slug, "hai-duong")
        XCTAssertNil(gazetteer.province(named: "Atlantis"))
        XCTAssertEqual(gazetteer.province(named: "Hải Dương")?.now, "hai-phong", "merged into Hai Phong in 2025")
    }

    func testProvincesInText() {
        let text = "Comrade Tran Duc Thang, Secretary of Hai Duong Provincial Party Committee; Lao Cai, Ninh Thuan và tỉnh Bình Dương"
        XCTAssertEqual(gazetteer.mentions(in: Words.split(text)).map(\.province.slug),
                       ["hai-duong", "lao-cai", "ninh-thuan", "binh-duong"])
    }

    func testLowercaseCommonWordsAreNotPlaces() {
        // "hòa bình" is peace; "Hòa Bình" the province.
        XCTAssertTrue(gazetteer.mentions(in: Words.split("vì hòa bình và an ninh")).isEmpty)
        XCTAssertEqual(gazetteer.mentions(in: Words.split("tỉnh Hòa Bình")).map(\.province.slug), ["hoa-binh"])
    }

    func testMentionsSayWhereEachNameIsAndTakeTheLongestName() {
        let words = Words.split("Tỉnh Thừa Thiên Huế và Hà Nội; hòa bình")
        let mentions = gazetteer.mentions(in: words)
        XCTAssertEqual(mentions.map(\.province.slug), ["hue", "ha-noi"])
        XCTAssertEqual(mentions.map(\.start), [1, 5])
        XCTAssertEqual(mentions.map(\.count), [3, 2])
        // Queries are typed in any case: there the capitals are not asked for.
        XCTAssertEqual(gazetteer.mentions(in: Words.split("hai duong hoa binh"), capitalised: false).map(\.province.slug),
                       ["hai-duong", "hoa-binh"])
        XCTAssertTrue(gazetteer.mentions(in: Words.split("hai duong")).isEmpty, "lowercase running text names no place")
    }
}

final class PeopleTests: XCTestCase {
    let gazetteer = Repository.resources.gazetteer

    func find(_ text: String) -> [Person] {
        PeopleExtractor.find(in: text, words: Words.split(text), gazetteer: gazetteer)
    }

    func testNamesWithPositions() {
        let people = find("Comrade Tran Duc Thang, member of the Party Central Committee, Secretary of Hai Duong Provincial Party Committee attended the conference.")
        XCTAssertEqual(people.first?.name, "Tran Duc Thang")
        XCTAssertEqual(people.first?.position, "member of the Party Central Committee, Secretary of Hai Duong Provincial Party Committee")
        XCTAssertEqual(people.first?.key, "tran duc thang")
    }

    func testVietnameseNamesFoldForSearch() {
        let people = find("đồng chí Trần Đức Thắng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương")
        XCTAssertEqual(people.first?.name, "Trần Đức Thắng")
        XCTAssertEqual(people.first?.key, "tran duc thang")
        XCTAssertEqual(people.first?.position, "Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Hải Dương")
    }

    func testTitleBeforeTheName() {
        XCTAssertEqual(find("General Secretary Nguyen Phu Trong chaired the conference").first,
                       Person(name: "Nguyen Phu Trong", position: "General Secretary"))
    }

    func testPlacesAndInstitutionsAreNotPeople() {
        XCTAssertTrue(find("Ha Noi and Ho Chi Minh City").isEmpty)
        XCTAssertTrue(find("Đảng Cộng sản Việt Nam").isEmpty)
    }

    /// A heading in capitals ("TỈNH ỦY THÁI BÌNH") and the line after it ("Số 12-CT/TU")
    /// were one name, "THÁI BÌNH Số": "Thái" is a family name.
    func testAProvinceHeadingAndTheNumberLineAreNotAPerson() {
        XCTAssertEqual(find("TỈNH ỦY THÁI BÌNH\nSố 12-CT/TU\nThái Bình, ngày 5 tháng 3 năm 2021"), [])
        XCTAssertEqual(find("UBND TỈNH THÁI BÌNH Số: 35/KL-TTr"), [])
        XCTAssertEqual(find("Tỉnh ủy Thái Bình Số 12 ban hành chỉ thị"), [], "a province's name, then a word")
    }

    /// Districts begin with family names too ("Thái Thụy", "Vũ Thư", "Hoàng Mai").
    func testDistrictsAreNotPeople() {
        XCTAssertEqual(find("Đoàn thanh tra làm việc tại huyện Thái Thụy từ ngày 2 tháng 6."), [])
        XCTAssertEqual(find("Inspectors visited Thai Thuy district in June."), [])
        XCTAssertEqual(find("Thái Thụy, Tiền Hải và Vũ Thư chưa hoàn thành kế hoạch."), [], "known districts, unannounced")
        XCTAssertEqual(find("huyện Trần Văn Thời"), [], "a district named after a person is a place after huyện")
        // A person from the district is still a person.
        XCTAssertEqual(find("Ông Hồ Sỹ Long, Trưởng phòng huyện Thái Thụy").map(\.name), ["Hồ Sỹ Long"])
    }

    /// "Trưởng Ban Chỉ đạo" (head of the steering committee) folds to "truong ban chi
    /// dao", and Trương is a family name: with diacritics, "Trưởng" is not "Trương".
    func testTitlesAreNotPeople() {
        XCTAssertEqual(find("Trưởng Ban Chỉ đạo là đồng chí Bí thư Tỉnh ủy."), [])
        XCTAssertEqual(find("Truong Ban Chi dao la dong chi Bi thu Tinh uy"), [], "the same without diacritics")
        XCTAssertEqual(find("Đoàn Kiểm tra số 3 làm việc với Ban Thường vụ."), [])
        XCTAssertEqual(find("Trường Chính trị tỉnh mở lớp bồi dưỡng."), [])
        XCTAssertEqual(find("Đồng chí Trương Văn Bình, Trưởng Ban Chỉ đạo, phát biểu.").map(\.name), ["Trương Văn Bình"])
        XCTAssertEqual(find("Truong Van Binh, Truong Ban Chi dao").map(\.name), ["Truong Van Binh"])
    }

    /// A letter standing for a name in templates and rulings ("Nguyễn Văn A").
    func testALetterEndsAName() {
        XCTAssertEqual(find("Chairman Tran Van B signed it.").map(\.name), ["Tran Van B"])
    }

    /// No input traps: empty, marks alone, a family name at the very end, long runs.
    func testAnyInputIsAnsweredWithoutATrap() {
        for text in ["", "Nguyễn", "Nguyễn Văn", "\u{301}\u{301}", "Lê " + String(repeating: "Văn ", count: 500),
                     "huyện", "huyện Thái", "THÁI", "Thái Bình Số", String(repeating: "Trần\n", count: 100)] {
            _ = find(text)
        }
    }
}

final class LanguageAndKindTests: XCTestCase {
    func testLanguageDetection() {
        XCTAssertEqual(LanguageDetector.detect("Kết luận thanh tra về công tác phòng, chống tham nhũng"), .vi)
        XCTAssertEqual(LanguageDetector.detect("The inspection concluded that the province violated regulations"), .en)
        XCTAssertEqual(LanguageDetector.detect("ket luan thanh tra cua tinh va cac so nganh trong nam"), .vi)
    }

    /// French, German and Spanish are not Vietnamese: the enum has en and vi, and "en"
    /// is what a text that is not Vietnamese gets (docs/formats.md). French was `vi`
    /// because its "la" and "de" are Vietnamese words typed without diacritics.
    func testOtherLatinLanguagesAreNotVietnamese() {
        let samples = [
            "Le gouvernement a publié les conclusions de l'inspection sur la corruption dans la province",
            "La commission a demandé la restitution de la totalité des sommes versées à la société",
            "Die Regierung hat die Ergebnisse der Prüfung über die Korruption in der Provinz veröffentlicht",
            "El gobierno publicó las conclusiones de la inspección sobre la corrupción en la provincia",
            "La fiscalía pidió la devolución de los bienes y la sanción de los funcionarios",
        ]
        for sample in samples { XCTAssertEqual(LanguageDetector.detect(sample), .en, sample) }
    }

    /// Vietnamese typed without diacritics, short or long, stays Vietnamese.
    func testVietnameseWithoutDiacriticsStaysVietnamese() {
        for sample in ["thanh tra tinh da ket luan ve sai pham cua cac so nganh",
                       "Ban Chi dao phong chong tham nhung tinh da hop va ra thong bao ket luan",
                       "ong Le Quang Vinh la Pho Chu tich UBND tinh Hai Duong",
                       "Kết luận thanh tra", "la cua"] {
            XCTAssertEqual(LanguageDetector.detect(sample), .vi, sample)
        }
        XCTAssertEqual(LanguageDetector.detect(""), .en)
    }

    func testKindNamesInBothLanguages() {
        XCTAssertEqual(DocumentKind(name: "Quy định"), .regulation)
        XCTAssertEqual(DocumentKind(name: "directive"), .regulation)
        XCTAssertEqual(DocumentKind(name: "kết luận thanh tra"), .conclusion)
        XCTAssertEqual(DocumentKind(name: "news"), .press)
        XCTAssertNil(DocumentKind(name: "poem"))
    }

    func testKindFromStructure() {
        let regulation = "QUY ĐỊNH\nvề chức năng, nhiệm vụ của ban chỉ đạo cấp tỉnh\nĐiều 1. Phạm vi điều chỉnh\nĐiều 2."
        XCTAssertEqual(KindClassifier.classify(title: "QUY ĐỊNH về chức năng", body: regulation,
                                               number: DocumentNumber("67-QĐ/TW")), .regulation)
        let conclusion = "Thanh tra Chính phủ kết luận: UBND tỉnh có sai phạm trong giao đất, gây thiệt hại 120 tỷ đồng. Kiến nghị xử lý."
        XCTAssertEqual(KindClassifier.classify(title: "Kết luận thanh tra việc giao đất", body: conclusion,
                                               number: DocumentNumber("1843/KL-TTCP")), .conclusion)
        XCTAssertEqual(KindClassifier.classify(title: "Provincial committees hold conference",
                                               body: "(VNA) The conference reviewed...", number: nil), .press)
    }
}

final class GlossaryTests: XCTestCase {
    let glossary = Repository.resources.glossary

    func testConceptsMeetAcrossLanguages() {
        let matcher = glossary.matcher(stem: crudeStem)
        let vietnamese = matcher.concepts(in: Words.split("thanh tra phòng, chống tham nhũng tại tỉnh"))
        let english = matcher.concepts(in: Words.split("anti-corruption inspections in the province"))
        XCTAssertTrue(Set(vietnamese.map(\.id)).isSuperset(of: ["inspection", "anti-corruption"]), "\(vietnamese)")
        XCTAssertTrue(Set(english.map(\.id)).isSuperset(of: ["inspection", "anti-corruption"]), "\(english)")
        let abbreviations = matcher.concepts(in: Words.split("BCĐ tỉnh và công tác PCTN"))
        XCTAssertTrue(Set(abbreviations.map(\.id)).isSuperset(of: ["steering-committee", "anti-corruption"]))
    }

    /// A longer variant wins where it matches, and the single words inside it still
    /// count for their own concepts: every document with a variant's stem has its concept.
    func testWordsInsideALongerVariantKeepTheirOwnConcepts() {
        let matcher = glossary.matcher(stem: crudeStem)
        let found = Dictionary(uniqueKeysWithValues: matcher.concepts(in: Words.split("The State Audit found no audit trail.")))
        XCTAssertEqual(found["state-audit"], 1)
        XCTAssertEqual(found["audit"], 2, "\(found)")
        let committee = Dictionary(uniqueKeysWithValues: matcher.concepts(in: Words.split("the Central Inspection Committee")))
        XCTAssertEqual(committee["central-inspection-commission"], 1)
        XCTAssertEqual(committee["inspection"], 1, "\(committee)")
        let bribes = Dictionary(uniqueKeysWithValues: matcher.concepts(in: Words.split("accused of taking bribes")))
        XCTAssertEqual(bribes["bribery"], 1, "a variant's own concept is not counted again for a word inside it")
    }

    func testGlossaryIsDataWithAVersion() throws {
        XCTAssertGreaterThanOrEqual(glossary.concepts.count, 20)
        XCTAssertEqual(glossary.version.count, 16)
        let other = try Glossary(tsv: "x\tfoo\tbar\t\n")
        XCTAssertNotEqual(other.version, glossary.version)
        XCTAssertThrowsError(try Glossary(tsv: "bad concept!\tfoo\tbar\n"))
    }
}
