/// Finds who issued a document (a body) or published it (an outlet).
public enum IssuerExtractor {
    /// Outlets, as they sign press items, and their names.
    static let outlets: [(keys: [String], name: String)] = [
        (["vna", "ttxvn", "vietnam news agency", "thong tan xa viet nam", "vietnamplus"], "Vietnam News Agency"),
        (["nhan dan", "nhandan"], "Nhân Dân"),
        (["vnexpress"], "VnExpress"),
        (["tuoi tre", "tuoitre"], "Tuổi Trẻ"),
        (["thanh nien"], "Thanh Niên"),
        (["vov", "voice of vietnam"], "Voice of Vietnam"),
        (["vtv"], "VTV"),
        (["bao hai duong"], "Báo Hải Dương"),
        (["cong an nhan dan", "cand"], "Công an Nhân dân"),
        (["dang cong san viet nam", "dangcongsan"], "Báo Điện tử Đảng Cộng sản Việt Nam"),
    ]
    /// Issuing bodies, by how they head their documents, and by number suffix.
    static let bodies: [(keys: [String], name: String)] = [
        (["ban bi thu", "secretariat"], "Secretariat"),
        (["bo chinh tri", "politburo"], "Politburo"),
        (["ban chap hanh trung uong", "party central committee"], "Party Central Committee"),
        (["thanh tra chinh phu", "government inspectorate"], "Government Inspectorate"),
        (["uy ban kiem tra trung uong", "central inspection commission"], "Central Inspection Commission"),
        (["ban noi chinh trung uong", "central internal affairs commission"], "Central Internal Affairs Commission"),
        (["ban chi dao trung uong", "central steering committee"], "Central Steering Committee"),
        (["thu tuong chinh phu", "prime minister"], "Prime Minister"),
        (["chinh phu", "the government"], "Government"),
        (["kiem toan nha nuoc", "state audit"], "State Audit Office"),
        (["bo tai chinh", "ministry of finance"], "Ministry of Finance"),
        (["bo cong an", "ministry of public security"], "Ministry of Public Security"),
        (["quoc hoi", "national assembly"], "National Assembly"),
    ]
    static let suffixes: [String: String] = [
        "TW": "Party Central Committee", "CP": "Government", "TTG": "Prime Minister", "TTCP": "Government Inspectorate",
        "BTC": "Ministry of Finance", "BCA": "Ministry of Public Security", "UBKTTW": "Central Inspection Commission",
        "KTNN": "State Audit Office",
    ]

    public static func find(title: String, body: String, kind: DocumentKind, number: DocumentNumber?,
                            provinces: [Gazetteer.Province]) -> String? {
        let lines = body.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if kind == .press {
            // Outlets sign at the end ("VNA - PV") or the start ("(VNA) Hanoi –").
            let candidates = Array(lines.suffix(2).reversed()) + Array(lines.prefix(1))
            for line in candidates {
                let key = Folding.foldKey(String(line.prefix(80)))
                let words = Words.split(key).map(\.key)
                for outlet in outlets {
                    for outletKey in outlet.keys {
                        let outletWords = outletKey.split(separator: " ").map(String.init)
                        let signsAtEnd = words.count <= outletWords.count + 3 && words.starts(with: outletWords)
                        let signsAtStart = key.hasPrefix("(\(outletKey))") || key.hasPrefix("theo \(outletKey)")
                        if signsAtEnd || signsAtStart { return outlet.name }
                    }
                }
            }
            return nil
        }
        // Bodies head their documents in the first lines.
        for line in [title] + lines.prefix(4) {
            let key = Folding.foldKey(line).trimmingCharacters(in: .whitespaces)
            for body in bodies where body.keys.contains(where: { key == $0 || key.hasPrefix($0 + " ") }) {
                return body.name
            }
            if key.hasPrefix("uy ban nhan dan") || key.hasPrefix("ubnd") {
                return provinces.first.map { "People's Committee of \($0.name)" } ?? "People's Committee"
            }
        }
        if let number {
            let suffix = number.canonical.split(whereSeparator: { $0 == "/" || $0 == "-" }).last.map(String.init) ?? ""
            if let name = suffixes[suffix.uppercased()] { return name }
        }
        return nil
    }
}
