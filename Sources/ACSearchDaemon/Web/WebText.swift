/// The page's words in its two languages. The language is the `ui` parameter when
/// given (the switch on every page), else the first of Accept-Language's that the
/// page speaks, else English.
enum WebLanguage: String, Sendable, CaseIterable {
    case en, vi

    static func chosen(parameter: String?, acceptLanguage: String?) -> WebLanguage {
        if let parameter, let language = WebLanguage(rawValue: parameter) { return language }
        // "vi-VN,vi;q=0.9,en;q=0.8": the highest q that names a language spoken here.
        var best: (WebLanguage, Double)? = nil
        for item in (acceptLanguage ?? "").split(separator: ",") {
            let parts = item.split(separator: ";")
            let tag = parts.first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let primary = String(tag.prefix { $0 != "-" && $0 != "_" })
            guard let language = WebLanguage(rawValue: primary) else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.trimmingCharacters(in: .whitespaces)
                if pair.hasPrefix("q="), let value = Double(pair.dropFirst(2)) { weight = value }
            }
            if weight > 0, best.map({ weight > $0.1 }) ?? true { best = (language, weight) }
        }
        return best?.0 ?? .en
    }

    var other: WebLanguage { self == .en ? .vi : .en }

    /// The interface's words, by key, for the templates (`{{t.search}}`).
    var text: [String: String] {
        switch self {
        case .en: return WebLanguage.english
        case .vi: return WebLanguage.vietnamese
        }
    }

    func kind(_ kind: String) -> String {
        text["kind_" + kind] ?? kind
    }

    func languageName(_ code: String) -> String {
        text["lang_" + code] ?? code
    }

    /// Query-language help: what to type, and what it finds.
    var help: [(example: String, meaning: String)] {
        switch self {
        case .en:
            return [
                ("Hai Duong inspections", "all the words, any language, with or without diacritics"),
                ("\"steering committee\" OR \"Ban Chỉ đạo\"", "phrases; AND, OR, NOT, NEAR, +word, -word, prefix*"),
                ("number:67-QĐ/TW", "the document with that number, however it is spelt"),
                ("cites:67-QD/TW kind:press", "press items that cite it"),
                ("person:\"Tran Duc Thang\"", "a person (finds Trần Đức Thắng)"),
                ("province:\"Hai Duong\" date:2022-05..2022-08", "a province, a date range (also 10/5/2022..5/8/2022, 2021..2022)"),
                ("issuer:, lang:vi, title:, year:2023", "other fields"),
            ]
        case .vi:
            return [
                ("thanh tra Hải Dương", "mọi từ, tiếng Việt hay tiếng Anh, có dấu hay không dấu"),
                ("\"Ban Chỉ đạo\" OR \"steering committee\"", "cụm từ; AND, OR, NOT, NEAR, +từ, -từ, tiền tố*"),
                ("number:67-QĐ/TW", "văn bản có số hiệu đó, viết kiểu nào cũng được"),
                ("cites:67-QD/TW kind:press", "tin báo chí trích dẫn văn bản đó"),
                ("person:\"Tran Duc Thang\"", "một người (tìm ra Trần Đức Thắng)"),
                ("province:\"Hai Duong\" date:2022-05..2022-08", "tỉnh, khoảng thời gian (cũng viết 10/5/2022..5/8/2022, 2021..2022)"),
                ("issuer:, lang:vi, title:, year:2023", "các trường khác"),
            ]
        }
    }

    static let english: [String: String] = [
        "tagline": "Decisions, inspection conclusions and press items on the fight against corruption",
        "search": "Search",
        "placeholder": "Words, a place, a number (67-QĐ/TW), a person…",
        "help": "How to search",
        "matches": "documents match",
        "match_one": "document matches",
        "about": "about",
        "showing": "showing",
        "nothing": "No document matches.",
        "did_you_mean": "Did you mean",
        "places": "Read as the place",
        "partial": "This answer is partial: some shards did not answer, or the search ran out of time.",
        "filters": "Filters",
        "remove": "remove",
        "clear_all": "clear all",
        "timeline": "Matches over time",
        "timeline_hint": "Click a bar to keep its dates (with a script: shift-click a second bar for a range).",
        "previous": "← Previous",
        "next": "Next →",
        "page": "Page",
        "export": "Export CSV",
        "export_limit": "the first 10,100",
        "sort": "Sort",
        "sort_relevance": "relevance",
        "sort_newest": "newest",
        "sort_oldest": "oldest",
        "sort_amount": "largest sum",
        "facet_kind": "Kind",
        "facet_province": "Province",
        "facet_year": "Year",
        "facet_issuer": "Issuer",
        "facet_lang": "Language",
        "facet_date": "Dates",
        "kind_regulation": "directive/regulation",
        "kind_conclusion": "inspection conclusion",
        "kind_press": "press item",
        "lang_en": "English",
        "lang_vi": "Vietnamese",
        "number": "Number",
        "date": "Date",
        "issuer": "Issuer",
        "places_label": "Places",
        "people": "People",
        "amounts": "Sums",
        "language": "Language",
        "source": "Source",
        "original": "Original",
        "cites": "Cites",
        "cited_by": "Cited by",
        "not_indexed": "not in the index",
        "all_citing": "every document citing it",
        "similar": "Similar documents",
        "back": "← Back to the results",
        "error": "Error",
        "switch": "Tiếng Việt",
        "switch_lang": "vi",
        "ms": "ms",
        "other_fields": "Other fields",
        "watches": "Watches",
        "watch_every": "every document",
        "watch_name": "Watch",
        "watch_search": "Search",
        "watch_unread": "Unread",
        "watch_created": "since",
        "watch_since": "Since",
        "no_watches": "No watches yet.",
        "watch_add_how": "A watch is a saved search: the indexer tells it of every new document that matches. Add one with",
        "all_watches": "← Every watch",
        "watch_new": "unread matches, newest first",
        "watch_dropped": "older ones let go",
        "watch_matched": "found",
        "watch_more": "older unread matches not shown",
        "watch_read_how": "This page marks nothing read. To read them and mark them read:",
        "watch_this": "Watch this search",
        "watch_this_how": "Be told of new documents that match: save it as a watch (choose its NAME), then see them under Watches.",
    ]

    static let vietnamese: [String: String] = [
        "tagline": "Văn bản chỉ đạo, kết luận thanh tra và tin báo chí về phòng, chống tham nhũng",
        "search": "Tìm",
        "placeholder": "Từ khóa, địa danh, số hiệu (67-QĐ/TW), tên người…",
        "help": "Cách tìm",
        "matches": "văn bản khớp",
        "match_one": "văn bản khớp",
        "about": "khoảng",
        "showing": "hiển thị",
        "nothing": "Không có văn bản nào khớp.",
        "did_you_mean": "Có phải bạn muốn tìm",
        "places": "Hiểu là địa danh",
        "partial": "Kết quả chưa đầy đủ: một số phân đoạn chỉ mục không trả lời, hoặc tìm kiếm đã hết thời gian.",
        "filters": "Bộ lọc",
        "remove": "bỏ",
        "clear_all": "bỏ tất cả",
        "timeline": "Kết quả theo thời gian",
        "timeline_hint": "Bấm vào một cột để lọc theo thời gian đó (có script: giữ Shift và bấm cột thứ hai để chọn một khoảng).",
        "previous": "← Trang trước",
        "next": "Trang sau →",
        "page": "Trang",
        "export": "Xuất CSV",
        "export_limit": "10.100 kết quả đầu",
        "sort": "Sắp xếp",
        "sort_relevance": "liên quan",
        "sort_newest": "mới nhất",
        "sort_oldest": "cũ nhất",
        "sort_amount": "số tiền lớn nhất",
        "facet_kind": "Loại văn bản",
        "facet_province": "Tỉnh, thành",
        "facet_year": "Năm",
        "facet_issuer": "Cơ quan ban hành",
        "facet_lang": "Ngôn ngữ",
        "facet_date": "Thời gian",
        "kind_regulation": "chỉ thị/quy định",
        "kind_conclusion": "kết luận thanh tra",
        "kind_press": "tin báo chí",
        "lang_en": "tiếng Anh",
        "lang_vi": "tiếng Việt",
        "number": "Số hiệu",
        "date": "Ngày",
        "issuer": "Cơ quan ban hành",
        "places_label": "Địa danh",
        "people": "Người",
        "amounts": "Số tiền",
        "language": "Ngôn ngữ",
        "source": "Nguồn",
        "original": "Bản gốc",
        "cites": "Trích dẫn",
        "cited_by": "Được trích dẫn bởi",
        "not_indexed": "chưa có trong chỉ mục",
        "all_citing": "mọi văn bản trích dẫn",
        "similar": "Văn bản tương tự",
        "back": "← Quay lại kết quả",
        "error": "Lỗi",
        "switch": "English",
        "switch_lang": "en",
        "ms": "ms",
        "other_fields": "Trường khác",
        "watches": "Theo dõi",
        "watch_every": "mọi văn bản",
        "watch_name": "Tên",
        "watch_search": "Tìm kiếm",
        "watch_unread": "Chưa đọc",
        "watch_created": "từ",
        "watch_since": "Từ",
        "no_watches": "Chưa có tìm kiếm theo dõi nào.",
        "watch_add_how": "Theo dõi là một tìm kiếm được lưu: bộ lập chỉ mục báo cho nó mọi văn bản mới khớp. Thêm bằng",
        "all_watches": "← Mọi tìm kiếm theo dõi",
        "watch_new": "kết quả chưa đọc, mới nhất trước",
        "watch_dropped": "kết quả cũ đã bỏ",
        "watch_matched": "tìm thấy",
        "watch_more": "kết quả chưa đọc cũ hơn không hiển thị",
        "watch_read_how": "Trang này không đánh dấu đã đọc. Để đọc và đánh dấu đã đọc:",
        "watch_this": "Theo dõi tìm kiếm này",
        "watch_this_how": "Được báo khi có văn bản mới khớp: lưu thành tìm kiếm theo dõi (đặt TÊN thay cho NAME), rồi xem ở mục Theo dõi.",
    ]
}
