import Documents
import Foundation

/// Shared by the JSON and YAML reader tests (a library, since test targets cannot share files).
/// A value as the fixture scripts write it (Tests/YAMLTests/Fixtures/tagged.py): tagged JSON that
/// keeps mapping order and ints apart from floats and booleans.
public indirect enum Tagged: Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    case list([Tagged])
    case map([Pair])

    public struct Pair: Equatable {
        public var key: Tagged
        public var value: Tagged

        public init(key: Tagged, value: Tagged) {
            self.key = key
            self.value = value
        }
    }

    public struct Malformed: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Reads tagged JSON text.
    public init(json: String) throws {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [.fragmentsAllowed])
        try self.init(any: object)
    }

    public init(any: Any) throws {
        guard let dictionary = any as? [String: Any], dictionary.count == 1,
              let (tag, payload) = dictionary.first else {
            throw Malformed(description: "not a tagged value: \(any)")
        }
        switch tag {
        case "null": self = .null
        case "bool":
            guard let value = payload as? Bool else { throw Malformed(description: "bad bool \(payload)") }
            self = .bool(value)
        case "int":
            guard let value = (payload as? NSNumber)?.int64Value else { throw Malformed(description: "bad int \(payload)") }
            self = .int(Int(value))
        case "float":
            guard let text = payload as? String, let value = Double(text) else {
                throw Malformed(description: "bad float \(payload)")
            }
            self = .float(value)
        case "str":
            guard let value = payload as? String else { throw Malformed(description: "bad str \(payload)") }
            self = .string(value)
        case "list":
            guard let items = payload as? [Any] else { throw Malformed(description: "bad list \(payload)") }
            self = .list(try items.map { try Tagged(any: $0) })
        case "map":
            guard let pairs = payload as? [[Any]] else { throw Malformed(description: "bad map \(payload)") }
            self = .map(try pairs.map { pair in
                guard pair.count == 2 else { throw Malformed(description: "bad pair \(pair)") }
                return Pair(key: try Tagged(any: pair[0]), value: try Tagged(any: pair[1]))
            })
        default:
            throw Malformed(description: "unknown tag \(tag)")
        }
    }

    public init(_ document: Document) {
        switch document {
        case .null: self = .null
        case .bool(let value, _): self = .bool(value)
        case .int(let value, _): self = .int(value)
        case .float(let value, _): self = .float(value)
        case .string(let value, _): self = .string(value)
        case .array(let items, _): self = .list(items.map(Tagged.init))
        case .object(let members, _):
            self = .map(members.map { Pair(key: Tagged($0.key), value: Tagged($0.value)) })
        }
    }

    public static func == (lhs: Tagged, rhs: Tagged) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.int(a), .int(b)): return a == b
        case let (.float(a), .float(b)):
            return a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN)
        // Python and Swift strings compare by code points, not by canonical equivalence.
        case let (.string(a), .string(b)): return a.unicodeScalars.elementsEqual(b.unicodeScalars)
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)): return a == b
        default: return false
        }
    }

    public var description: String {
        switch self {
        case .null: return "None"
        case .bool(let value): return value ? "True" : "False"
        case .int(let value): return "\(value)"
        case .float(let value): return "float(\(value))"
        case .string(let value): return "'\(value)'"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let pairs): return "{" + pairs.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}
