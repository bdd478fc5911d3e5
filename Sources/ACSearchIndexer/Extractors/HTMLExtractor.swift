import ACSearchAPI
import ACSearchAnalysis
import CLibXML2
import Foundation

/// HTML pages: the main text only (no navigation, scripts, headers, footers or
/// sidebars), the title from <title> or the first <h1>, the date from the page's
/// metadata or a <time> element. Parsed by libxml2's HTML parser, which recovers
/// from real-world markup the way browsers do.
enum HTMLExtractor {
    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static let skipped: Set<String> = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                                       "template", "svg", "iframe", "button", "select", "head", "menu"]
    static let blocks: Set<String> = ["p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
                                      "article", "blockquote", "pre", "table", "ul", "ol", "dd", "dt", "main", "td"]
    static let boilerplateMarkers = ["nav", "menu", "footer", "sidebar", "breadcrumb", "advert", "share", "cookie",
                                     "related", "comment"]
    static let dateMetaNames: Set<String> = ["article:published_time", "date", "dc.date", "dcterms.date", "pubdate",
                                             "og:published_time", "dc.date.issued", "publish-date"]

    static func record(_ html: String, id: String, source: String) throws(ExtractionError) -> SourceRecord {
        _ = initialized
        let bytes = Array(html.utf8)
        let options = Int32(HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
            | HTML_PARSE_NONET.rawValue | HTML_PARSE_NOBLANKS.rawValue)
        guard let document = bytes.withUnsafeBufferPointer({ buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                htmlReadMemory($0.baseAddress, Int32(clamping: $0.count), nil, "UTF-8", options)
            }
        }) else {
            throw .invalidDocument("libxml2 could not parse it as HTML")
        }
        defer { xmlFreeDoc(document) }
        guard let root = xmlDocGetRootElement(document) else { throw .noText }

        var title = first(named: "title", in: root).map(text(of:))?.trimmingCharacters(in: .whitespacesAndNewlines)
        if title?.isEmpty != false {
            title = first(named: "h1", in: root).map(text(of:))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let date = metadataDate(root)
        let main = first(named: "main", in: root) ?? first(named: "article", in: root)
            ?? first(named: "body", in: root) ?? root
        var output = ""
        collect(main, into: &output)
        let body = output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: "\n")
        guard !body.isEmpty else { throw .noText }
        return SourceRecord(id: id, title: title?.isEmpty == false ? title : nil, body: body, date: date, source: source)
    }

    static func name(_ node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    static func attribute(_ node: xmlNodePtr, _ attribute: String) -> String? {
        guard let value = xmlGetProp(node, attribute) else { return nil }
        defer { acsearch_xml_free(value) }
        return String(cString: value)
    }

    static func elements(_ node: xmlNodePtr) -> [xmlNodePtr] {
        var result: [xmlNodePtr] = []
        var child = node.pointee.children
        while let current = child {
            result.append(current)
            child = current.pointee.next
        }
        return result
    }

    static func first(named wanted: String, in node: xmlNodePtr) -> xmlNodePtr? {
        if node.pointee.type == XML_ELEMENT_NODE, name(node) == wanted { return node }
        for child in elements(node) where child.pointee.type == XML_ELEMENT_NODE {
            if let found = first(named: wanted, in: child) { return found }
        }
        return nil
    }

    static func text(of node: xmlNodePtr) -> String {
        guard let content = xmlNodeGetContent(node) else { return "" }
        defer { acsearch_xml_free(content) }
        return String(cString: content)
    }

    static func isBoilerplate(_ node: xmlNodePtr) -> Bool {
        if let role = attribute(node, "role"), ["navigation", "banner", "contentinfo", "complementary"].contains(role) {
            return true
        }
        let marks = ((attribute(node, "class") ?? "") + " " + (attribute(node, "id") ?? "")).lowercased()
        return boilerplateMarkers.contains { marks.contains($0) }
    }

    static func collect(_ node: xmlNodePtr, into output: inout String) {
        for child in elements(node) {
            switch child.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = child.pointee.content { output += String(cString: content) }
            case XML_ELEMENT_NODE:
                let tag = name(child)
                if skipped.contains(tag) || isBoilerplate(child) { continue }
                let block = blocks.contains(tag)
                if block { output += "\n" }
                collect(child, into: &output)
                if block { output += "\n" }
            default:
                continue
            }
        }
    }

    static func metadataDate(_ root: xmlNodePtr) -> String? {
        var found: String? = nil
        func visit(_ node: xmlNodePtr) {
            guard found == nil else { return }
            if node.pointee.type == XML_ELEMENT_NODE {
                let tag = name(node)
                if tag == "meta", let key = (attribute(node, "name") ?? attribute(node, "property"))?.lowercased(),
                   dateMetaNames.contains(key), let content = attribute(node, "content") {
                    found = CalendarDate(parsing: String(content.prefix(10)))?.description
                } else if tag == "time", let value = attribute(node, "datetime") {
                    found = CalendarDate(parsing: String(value.prefix(10)))?.description
                }
            }
            for child in elements(node) { visit(child) }
        }
        visit(root)
        return found
    }
}
