import Documents

/// PyYAML's parser (yaml/parser.py) and composer, as recursive descent over the scanner's tokens,
/// building `Document` values directly with SafeLoader's constructors.
struct YAMLParser {
    private var scanner: YAMLScanner
    private var depth = 0
    /// The first value that cannot be constructed (an impossible date, a list as a key). PyYAML
    /// constructs once the whole stream is parsed, so a syntax error further on wins over it.
    private var constructionFailure: YAMLFailure?

    init(_ chars: [UInt32]) {
        scanner = YAMLScanner(chars)
    }

    private static func mark(_ mark: YAMLMark) -> Mark {
        Mark(line: mark.line + 1, column: mark.column + 1)
    }

    private func describe(_ mark: YAMLMark) -> String {
        "\(mark.line + 1):\(mark.column + 1)"
    }

    /// `yaml.safe_load`: one document or none (null); a second one is an error.
    mutating func parseSingleDocument() throws(YAMLFailure) -> Document {
        _ = try scanner.nextToken()  // stream start
        var document: Document?
        let documentStart = try scanner.peekToken().start
        if try !scanner.check(.documentStart, .streamEnd) {
            document = try parseBlockNode()
            try skipDocumentEnd()
        } else if let explicit = try parseExplicitDocument() {
            document = explicit
        }
        if document != nil {
            // The start of what follows: another document is an error, as in PyYAML's composer.
            while try scanner.check(.documentEnd) { _ = try scanner.nextToken() }
            let next = try scanner.peekToken()
            if next.kind != .streamEnd {
                guard next.kind == .documentStart else {
                    throw YAMLFailure("expected '<document start>', but found '\(next.kind.id)'", at: next.start)
                }
                throw YAMLFailure(
                    "expected a single document in the stream, but found another document", at: next.start,
                    context: "the first document", contextMark: documentStart)
            }
        }
        _ = try scanner.nextToken()  // stream end
        if let constructionFailure { throw constructionFailure }
        return document ?? .null(Mark(line: 1, column: 1))
    }

    /// PyYAML's `parse_document_start`: `...` lines, then `---` and the content, or the end.
    private mutating func parseExplicitDocument() throws(YAMLFailure) -> Document? {
        while try scanner.check(.documentEnd) { _ = try scanner.nextToken() }
        let token = try scanner.peekToken()
        if token.kind == .streamEnd { return nil }
        guard token.kind == .documentStart else {
            throw YAMLFailure("expected '<document start>', but found '\(token.kind.id)'", at: token.start)
        }
        _ = try scanner.nextToken()
        let content: Document
        if try scanner.check(.documentStart, .documentEnd, .streamEnd) {
            content = .null(Self.mark(try scanner.peekToken().start))
        } else {
            content = try parseBlockNode()
        }
        try skipDocumentEnd()
        return content
    }

    private mutating func skipDocumentEnd() throws(YAMLFailure) {
        if try scanner.check(.documentEnd) { _ = try scanner.nextToken() }
    }

    // MARK: Nodes

    private mutating func parseBlockNode(indentlessSequence: Bool = false) throws(YAMLFailure) -> Document {
        try parseNode(block: true, indentlessSequence: indentlessSequence)
    }

    private mutating func parseFlowNode() throws(YAMLFailure) -> Document {
        try parseNode(block: false, indentlessSequence: false)
    }

    private mutating func parseNode(block: Bool, indentlessSequence: Bool) throws(YAMLFailure) -> Document {
        let token = try scanner.peekToken()
        let start = token.start
        if case .scalar(let text, let plain) = token.kind {
            _ = try scanner.nextToken()
            return scalar(text, plain: plain, at: start).document
        }
        depth += 1
        defer { depth -= 1 }
        guard depth <= YAMLReader.maximumDepth else {
            throw YAMLFailure("nesting deeper than \(YAMLReader.maximumDepth) levels", at: start)
        }
        switch token.kind {
        case .blockEntry where indentlessSequence:
            return try parseIndentlessSequence(start)
        case .flowSequenceStart:
            return try parseFlowSequence()
        case .flowMappingStart:
            return try parseFlowMapping()
        case .blockSequenceStart where block:
            return try parseBlockSequence()
        case .blockMappingStart where block:
            return try parseBlockMapping()
        default:
            throw YAMLFailure(
                "expected the node content, but found '\(token.kind.id)'", at: token.start,
                context: "while parsing a \(block ? "block" : "flow") node", contextMark: start)
        }
    }

    private mutating func scalar(_ text: String, plain: Bool, at start: YAMLMark) -> YAMLScalars.Resolved {
        let mark = Self.mark(start)
        guard plain else { return YAMLScalars.Resolved(document: .string(text, mark)) }
        do {
            return try YAMLScalars.resolve(text, mark: mark)
        } catch {
            if constructionFailure == nil { constructionFailure = YAMLFailure(error.message, at: start) }
            return YAMLScalars.Resolved(document: .null(mark))
        }
    }

    private mutating func add(_ key: Entry, _ value: Document, to mapping: inout MappingBuilder) throws(YAMLFailure) {
        do {
            try mapping.add(key, value)
        } catch {
            if key.isMerge { throw error }
            if constructionFailure == nil { constructionFailure = error }
        }
    }

    private mutating func emptyScalar(_ mark: YAMLMark) -> Document {
        .null(Self.mark(mark))
    }

    // MARK: Block collections

    private mutating func parseBlockSequence() throws(YAMLFailure) -> Document {
        let start = try scanner.nextToken().start
        var items: [Document] = []
        while true {
            let token = try scanner.peekToken()
            if token.kind == .blockEntry {
                _ = try scanner.nextToken()
                if try !scanner.check(.blockEntry, .blockEnd) {
                    items.append(try parseBlockNode())
                } else {
                    items.append(emptyScalar(token.end))
                }
            } else if token.kind == .blockEnd {
                _ = try scanner.nextToken()
                return .array(items, Self.mark(start))
            } else {
                throw YAMLFailure(
                    "expected <block end>, but found '\(token.kind.id)'", at: token.start,
                    context: "while parsing a block collection", contextMark: start)
            }
        }
    }

    /// A sequence at its mapping's indentation (`key:` then `- item` lines at the key's column).
    private mutating func parseIndentlessSequence(_ start: YAMLMark) throws(YAMLFailure) -> Document {
        var items: [Document] = []
        while try scanner.check(.blockEntry) {
            let token = try scanner.nextToken()
            if try !scanner.check(.blockEntry, .key, .value, .blockEnd) {
                items.append(try parseBlockNode())
            } else {
                items.append(emptyScalar(token.end))
            }
        }
        return .array(items, Self.mark(start))
    }

    private mutating func parseBlockMapping() throws(YAMLFailure) -> Document {
        let start = try scanner.nextToken().start
        var mapping = MappingBuilder(start: start)
        while true {
            let token = try scanner.peekToken()
            if token.kind == .key {
                _ = try scanner.nextToken()
                let key: Entry
                if try !scanner.check(.key, .value, .blockEnd) {
                    key = try parseKey { (parser: inout YAMLParser) throws(YAMLFailure) in
                        try parser.parseBlockNode(indentlessSequence: true)
                    }
                } else {
                    key = Entry(document: emptyScalar(token.end))
                }
                let value: Document
                let valueToken = try scanner.peekToken()
                if valueToken.kind == .value {
                    _ = try scanner.nextToken()
                    if try !scanner.check(.key, .value, .blockEnd) {
                        value = try parseBlockNode(indentlessSequence: true)
                    } else {
                        value = emptyScalar(valueToken.end)
                    }
                } else {
                    value = emptyScalar(valueToken.start)
                }
                try add(key, value, to: &mapping)
            } else if token.kind == .blockEnd {
                _ = try scanner.nextToken()
                return mapping.document
            } else {
                throw YAMLFailure(
                    "expected <block end>, but found '\(token.kind.id)'", at: token.start,
                    context: "while parsing a block mapping", contextMark: start)
            }
        }
    }

    /// A key and whether Python would hold it as a date (never equal to a string).
    struct Entry {
        var document: Document
        var isTimestamp = false
        var isMerge = false
    }

    private mutating func parseKey(
        _ parseNode: (inout YAMLParser) throws(YAMLFailure) -> Document
    ) throws(YAMLFailure) -> Entry {
        let token = try scanner.peekToken()
        if case .scalar(let text, let plain) = token.kind {
            _ = try scanner.nextToken()
            if plain, text == "<<" {
                return Entry(document: .string(text, Self.mark(token.start)), isMerge: true)
            }
            let resolved = scalar(text, plain: plain, at: token.start)
            return Entry(document: resolved.document, isTimestamp: resolved.isTimestamp)
        }
        return Entry(document: try parseNode(&self))
    }

    // MARK: Flow collections

    /// The `,` between two entries of a flow collection, or PyYAML's error.
    private mutating func skipFlowEntry(closing: String, collection: String, start: YAMLMark) throws(YAMLFailure) {
        let token = try scanner.peekToken()
        guard token.kind == .flowEntry else {
            throw YAMLFailure(
                "expected ',' or '\(closing)', but got '\(token.kind.id)'", at: token.start,
                context: "while parsing a flow \(collection)", contextMark: start)
        }
        _ = try scanner.nextToken()
    }

    private mutating func parseFlowSequence() throws(YAMLFailure) -> Document {
        let start = try scanner.nextToken().start
        var items: [Document] = []
        var first = true
        while try !scanner.check(.flowSequenceEnd) {
            if !first { try skipFlowEntry(closing: "]", collection: "sequence", start: start) }
            first = false
            let token = try scanner.peekToken()
            if token.kind == .key {
                // `[a: 1]`: a mapping of one pair.
                _ = try scanner.nextToken()
                var mapping = MappingBuilder(start: token.start)
                let key: Entry
                if try !scanner.check(.value, .flowEntry, .flowSequenceEnd) {
                    key = try parseKey { (parser: inout YAMLParser) throws(YAMLFailure) in try parser.parseFlowNode() }
                } else {
                    key = Entry(document: emptyScalar(token.end))
                }
                let value = try parseFlowValue(closing: .flowSequenceEnd)
                try add(key, value, to: &mapping)
                items.append(mapping.document)
            } else if token.kind != .flowSequenceEnd {
                items.append(try parseFlowNode())
            }
        }
        _ = try scanner.nextToken()
        return .array(items, Self.mark(start))
    }

    /// After a flow key: `: value`, `:` alone, or nothing.
    private mutating func parseFlowValue(closing: YAMLToken.Kind) throws(YAMLFailure) -> Document {
        let token = try scanner.peekToken()
        guard token.kind == .value else { return emptyScalar(token.start) }
        _ = try scanner.nextToken()
        if try !scanner.check(.flowEntry, closing) {
            return try parseFlowNode()
        }
        return emptyScalar(token.end)
    }

    private mutating func parseFlowMapping() throws(YAMLFailure) -> Document {
        let start = try scanner.nextToken().start
        var mapping = MappingBuilder(start: start)
        var first = true
        while try !scanner.check(.flowMappingEnd) {
            if !first { try skipFlowEntry(closing: "}", collection: "mapping", start: start) }
            first = false
            let token = try scanner.peekToken()
            if token.kind == .key {
                _ = try scanner.nextToken()
                let key: Entry
                if try !scanner.check(.value, .flowEntry, .flowMappingEnd) {
                    key = try parseKey { (parser: inout YAMLParser) throws(YAMLFailure) in try parser.parseFlowNode() }
                } else {
                    key = Entry(document: emptyScalar(token.end))
                }
                try add(key, try parseFlowValue(closing: .flowMappingEnd), to: &mapping)
            } else if token.kind != .flowMappingEnd {
                // `{a, b: 1}`: a key without a value.
                let key = try parseKey { (parser: inout YAMLParser) throws(YAMLFailure) in try parser.parseFlowNode() }
                try add(key, emptyScalar(try scanner.peekToken().start), to: &mapping)
            }
        }
        _ = try scanner.nextToken()
        return mapping.document
    }
}
