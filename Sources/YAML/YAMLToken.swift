/// A place in the decoded text: the code-point offset and PyYAML's 0-based line and column.
struct YAMLMark: Sendable {
    var index: Int
    var line: Int
    var column: Int
}

/// A malformed or unsupported YAML text; `YAMLReader` turns it into a `DocumentError`.
struct YAMLFailure: Error {
    var message: String
    var mark: YAMLMark
    /// PyYAML's context ("while scanning a simple key") and where that started.
    var context: String?
    var contextMark: YAMLMark?

    init(_ message: String, at mark: YAMLMark, context: String? = nil, contextMark: YAMLMark? = nil) {
        self.message = message
        self.mark = mark
        self.context = context
        self.contextMark = contextMark
    }
}

/// The tokens of PyYAML's scanner that Regen's subset produces.
struct YAMLToken {
    enum Kind: Equatable {
        case streamStart, streamEnd, documentStart, documentEnd
        case blockSequenceStart, blockMappingStart, blockEnd
        case flowSequenceStart, flowMappingStart, flowSequenceEnd, flowMappingEnd
        case key, value, blockEntry, flowEntry
        case scalar(String, plain: Bool)

        /// PyYAML's name for the token, for messages: `expected <block end>, but found '-'`.
        var id: String {
            switch self {
            case .streamStart: return "<stream start>"
            case .streamEnd: return "<stream end>"
            case .documentStart: return "<document start>"
            case .documentEnd: return "<document end>"
            case .blockSequenceStart: return "<block sequence start>"
            case .blockMappingStart: return "<block mapping start>"
            case .blockEnd: return "<block end>"
            case .flowSequenceStart: return "["
            case .flowMappingStart: return "{"
            case .flowSequenceEnd: return "]"
            case .flowMappingEnd: return "}"
            case .key: return "?"
            case .value: return ":"
            case .blockEntry: return "-"
            case .flowEntry: return ","
            case .scalar: return "<scalar>"
            }
        }

        /// Compares the kind only (any scalar matches any scalar).
        func isSameKind(as other: Kind) -> Bool {
            switch (self, other) {
            case (.scalar, .scalar): return true
            default: return self == other
            }
        }
    }

    var kind: Kind
    var start: YAMLMark
    var end: YAMLMark
}

extension UInt32 {
    /// The code point of an ASCII character, as `UInt8(ascii:)` gives its byte.
    init(ascii scalar: Unicode.Scalar) {
        self = scalar.value
    }
}
