/// Plain `{{ name }}` / `{{ dotted.path }}` placeholders, as Chora Compose's demonstration and
/// template_fill generators substitute them: no expressions, filters or statements.
enum Placeholders {
    struct Occurrence {
        var name: String
        /// 1-based line and column of the `{{`, for errors.
        var line: Int
        var column: Int
    }

    /// `text` with each placeholder replaced by `value(name)`; a placeholder for which it
    /// returns nil is left as written and reported through `unresolved`.
    static func fill(_ text: String, unresolved: (Occurrence) throws(Diagnostic) -> Void = { _ in },
                     value: (String) -> String?) throws(Diagnostic) -> String {
        var output = ""
        var rest = Substring(text)
        var line = 1
        var lineStart = text.startIndex
        while let open = rest.firstRange(of: "{{") {
            output += rest[..<open.lowerBound]
            for character in rest[..<open.lowerBound] where character == "\n" { line += 1 }
            if let lastBreak = text[..<open.lowerBound].lastIndex(of: "\n") { lineStart = text.index(after: lastBreak) }
            let afterOpen = rest[open.upperBound...]
            guard let close = afterOpen.firstRange(of: "}}") else {
                output += rest[open.lowerBound...]
                return output
            }
            let inner = afterOpen[..<close.lowerBound]
            let name = inner.trimmingSpaces
            if isName(name) {
                if let replacement = value(name) {
                    output += replacement
                } else {
                    let column = text[lineStart..<open.lowerBound].count + 1
                    try unresolved(Occurrence(name: name, line: line, column: column))
                    output += rest[open.lowerBound..<close.upperBound]
                }
                rest = afterOpen[close.upperBound...]
            } else {
                // Not a placeholder (`{{ a + b }}`, `{{{`): copied as written.
                output += "{{"
                rest = afterOpen
            }
        }
        output += rest
        return output
    }

    /// `name`, `dotted.path`, `items.0.title`: letters, digits, `_`, `-` and dots between steps.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return text.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { step in
            !step.isEmpty && step.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
