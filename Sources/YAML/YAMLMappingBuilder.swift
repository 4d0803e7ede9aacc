import Documents

/// Collects a mapping's pairs as SafeLoader's `construct_mapping` does into a Python dict: a key
/// seen again keeps its first place and takes the last value; keys compare as Python values
/// (`1`, `1.0` and `true` are one key, and so are two `.nan`); a list or a mapping cannot be a key.
struct MappingBuilder {
    private let start: YAMLMark
    private var members: [Document.Member] = []
    private var index: [KeyIdentity: Int] = [:]

    init(start: YAMLMark) {
        self.start = start
    }

    var document: Document {
        .object(members, Mark(line: start.line + 1, column: start.column + 1))
    }

    mutating func add(_ key: YAMLParser.Entry, _ value: Document) throws(YAMLFailure) {
        let keyMark = key.document.mark
        let at = YAMLMark(index: -1, line: keyMark.line - 1, column: keyMark.column - 1)
        if key.isMerge {
            throw YAMLFailure("merge keys ('<<') are not supported", at: at)
        }
        guard let identity = KeyIdentity(key.document, isTimestamp: key.isTimestamp) else {
            throw YAMLFailure(
                "found unhashable key", at: at, context: "while constructing a mapping", contextMark: start)
        }
        if let existing = index[identity] {
            members[existing].value = value
        } else {
            index[identity] = members.count
            members.append(Document.Member(key: key.document, value: value))
        }
    }
}

/// A key as Python's dict sees it.
enum KeyIdentity: Hashable {
    case null
    case integer(Int)
    case float(UInt64)
    /// PyYAML makes every `.nan` the same float object, and a dict finds a key by identity first.
    case nan
    case string([UInt32])
    case timestamp(String)

    init?(_ document: Document, isTimestamp: Bool) {
        switch document {
        case .null: self = .null
        case .bool(let value, _): self = .integer(value ? 1 : 0)
        case .int(let value, _): self = .integer(value)
        case .float(let value, _):
            if value.isNaN {
                self = .nan
            } else if let exact = Int(exactly: value) {
                self = .integer(exact)
            } else {
                self = .float((value == 0 ? 0.0 : value).bitPattern)
            }
        case .string(let text, _):
            self = isTimestamp ? .timestamp(text) : .string(text.unicodeScalars.map(\.value))
        case .array, .object:
            return nil
        }
    }
}
