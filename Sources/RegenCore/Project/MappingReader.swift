import Documents

/// Reads one mapping of a configuration file: each member with the type the format expects, and
/// every error naming the key, its place and what was expected. A member whose value is null
/// (`key:` with nothing after it in YAML) counts as absent.
struct MappingReader {
    let source: SourceFile
    /// The dotted path of this mapping (`batch`, `variants[1]`), for messages; empty at the top.
    let path: String
    let mark: Mark
    private let members: [(key: String, member: Document.Member)]

    init(_ document: Document, source: SourceFile, path: String = "") throws(Diagnostic) {
        guard case .object(let members, let mark) = document else {
            let what = path.isEmpty ? "the top level" : "'\(path)'"
            throw source.error(at: document.mark, "\(what) must be a mapping, not \(document.kindName)")
        }
        var named: [(String, Document.Member)] = []
        for member in members {
            guard let key = member.key.stringValue else {
                throw source.error(at: member.key.mark, "keys must be strings, not \(member.key.kindName)")
            }
            named.append((key, member))
        }
        self.source = source
        self.path = path
        self.mark = mark
        self.members = named
    }

    var keys: [String] { members.map(\.key) }

    /// `batch.max_batch_size`, the name messages give a member.
    func keyPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The value of `key`, nil when absent or null.
    subscript(key: String) -> Document? {
        guard let value = members.last(where: { $0.key == key })?.member.value else { return nil }
        if case .null = value { return nil }
        return value
    }

    /// Where the key itself is written, for errors about the member as a whole.
    func keyMark(_ key: String) -> Mark {
        members.last { $0.key == key }?.member.key.mark ?? mark
    }

    /// Refuses any key not in `known`, suggesting the closest known one.
    func rejectUnknownKeys(_ known: [String]) throws(Diagnostic) {
        for (key, member) in members where !known.contains(key) {
            let place = path.isEmpty ? "" : " in '\(path)'"
            throw source.error(at: member.key.mark,
                               "unknown key '\(key)'\(place)" + Suggestion.phrase(for: key, among: known))
        }
    }

    func typeError(_ key: String, _ value: Document, expected: String) -> Diagnostic {
        source.error(at: value.mark, "'\(keyPath(key))' must be \(expected), not \(value.kindName)")
    }

    func error(_ key: String, _ message: String) -> Diagnostic {
        source.error(at: self[key]?.mark ?? keyMark(key), message)
    }

    func string(_ key: String) throws(Diagnostic) -> String? {
        guard let value = self[key] else { return nil }
        guard case .string(let text, _) = value else { throw typeError(key, value, expected: "a string") }
        return text
    }

    func bool(_ key: String) throws(Diagnostic) -> Bool? {
        guard let value = self[key] else { return nil }
        guard case .bool(let flag, _) = value else { throw typeError(key, value, expected: "true or false") }
        return flag
    }

    /// An integer no smaller than `minimum`.
    func int(_ key: String, minimum: Int) throws(Diagnostic) -> Int? {
        guard let value = self[key] else { return nil }
        guard case .int(let number, _) = value else { throw typeError(key, value, expected: "an integer") }
        guard number >= minimum else {
            throw source.error(at: value.mark, "'\(keyPath(key))' must be at least \(minimum), not \(number)")
        }
        return number
    }

    /// A number (an integer or a float) greater than zero.
    func positiveNumber(_ key: String) throws(Diagnostic) -> Double? {
        guard let value = self[key] else { return nil }
        let number: Double
        switch value {
        case .int(let i, _): number = Double(i)
        case .float(let d, _): number = d
        default: throw typeError(key, value, expected: "a number")
        }
        guard number > 0, number.isFinite else {
            throw source.error(at: value.mark, "'\(keyPath(key))' must be a number greater than 0")
        }
        return number
    }

    func stringList(_ key: String) throws(Diagnostic) -> [String]? {
        guard let value = self[key] else { return nil }
        guard case .array(let items, _) = value else { throw typeError(key, value, expected: "a list of strings") }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text, _) = item else {
                throw source.error(at: item.mark, "'\(keyPath(key))[\(index)]' must be a string, not \(item.kindName)")
            }
            strings.append(text)
        }
        return strings
    }

    func mapping(_ key: String) throws(Diagnostic) -> MappingReader? {
        guard let value = self[key] else { return nil }
        return try MappingReader(value, source: source, path: keyPath(key))
    }

    /// A list's items, each with the path messages give it (`variants[1]`).
    func list(_ key: String) throws(Diagnostic) -> [(path: String, item: Document)]? {
        guard let value = self[key] else { return nil }
        guard case .array(let items, _) = value else { throw typeError(key, value, expected: "a list") }
        return items.enumerated().map { ("\(keyPath(key))[\($0.offset)]", $0.element) }
    }

    /// A string among `choices`.
    func choice(_ key: String, _ choices: [String]) throws(Diagnostic) -> String? {
        guard let text = try string(key) else { return nil }
        guard choices.contains(text) else {
            let listed = choices.map { "'\($0)'" }.joined(separator: ", ")
            throw error(key, "'\(keyPath(key))' must be one of \(listed), not '\(text)'"
                        + Suggestion.phrase(for: text, among: choices))
        }
        return text
    }
}
