import Synchronization

/// A template value, with Python's data model: ints and floats stay apart, mappings keep the
/// order they were built in, lists and dicts are shared references (a template may `append`).
public enum Value: Sendable {
    /// A name or attribute that does not exist; how it behaves depends on the undefined policy.
    indirect case undefined(Undefined)
    case none
    case bool(Bool)
    case int(Int)
    case float(Double)
    case string(String)
    /// A string that is safe to insert into HTML unescaped (Jinja2's `Markup`).
    case markup(String)
    case list(ListStorage)
    case tuple([Value])
    case dict(DictStorage)
    /// Everything else: namespaces, macros, loop objects, cyclers, bound methods, …
    case object(any JinjaObject)
}

/// Why a value is undefined, kept so that the error, when it comes, says what Jinja2 says.
public struct Undefined: Sendable {
    /// The missing name.
    public var name: String?
    /// True for the undefined of an inline `if` without `else`: Jinja2 makes it a plain
    /// `Undefined` whatever the environment's policy, so it prints as nothing even when strict.
    public var alwaysLenient: Bool
    /// Makes the hint when a message is wanted. Most undefined values are made by a lookup that
    /// misses and then meet `default` or `is defined`, which never read the message, so the text
    /// (the owner's type, the key's repr) is built only on demand.
    private let makeHint: (@Sendable () -> String)?
    /// Where the undefined value was made (the missing name or attribute in the source), so that
    /// an error raised later, where the value is used, can point at what is missing.
    public var origin: (source: TemplateSource, location: SourceLocation)?

    public init(name: String? = nil, hint: String? = nil, alwaysLenient: Bool = false) {
        self.name = name
        self.alwaysLenient = alwaysLenient
        if let hint {
            makeHint = { hint }
        } else {
            makeHint = nil
        }
    }

    /// An undefined whose hint is computed only if a message is needed.
    public init(name: String? = nil, lazyHint: @escaping @Sendable () -> String) {
        self.name = name
        alwaysLenient = false
        makeHint = lazyHint
    }

    /// Jinja2's `_undefined_hint`, when one was given (e.g. "'dict object' has no attribute 'x'").
    public var hint: String? { makeHint?() }

    /// `'x' is undefined`, or the hint.
    public var message: String {
        if let hint { return hint }
        if let name { return "'\(name)' is undefined" }
        return "undefined value"
    }
}

/// A Python list: shared and mutable, as `{% set _ = items.append(x) %}` needs.
/// Guarded by a mutex because contexts are shared by renders running on several threads.
public final class ListStorage: Sendable {
    private let storage: Mutex<[Value]>

    public init(_ elements: [Value] = []) {
        storage = Mutex(elements)
    }

    /// A snapshot of the elements (copy on write: cheap).
    public var elements: [Value] { storage.withLock { $0 } }
    public var count: Int { storage.withLock { $0.count } }

    public func append(_ value: Value) { storage.withLock { $0.append(value) } }
    public func mutate<R>(_ body: (inout [Value]) throws -> R) rethrows -> R {
        try storage.withLock { try body(&$0) }
    }
}

/// A Python dict: insertion-ordered, shared and mutable.
public final class DictStorage: Sendable {
    private let storage: Mutex<OrderedDict>

    public init(_ dict: OrderedDict = OrderedDict()) {
        storage = Mutex(dict)
    }

    public var snapshot: OrderedDict { storage.withLock { $0 } }
    public var count: Int { storage.withLock { $0.count } }

    public subscript(key: String) -> Value? {
        storage.withLock { $0[key] }
    }

    public func value(forKey key: Value) throws -> Value? {
        let hashKey = try HashKey(key)
        return storage.withLock { $0.value(for: hashKey) }
    }

    public func mutate<R>(_ body: (inout OrderedDict) throws -> R) rethrows -> R {
        try storage.withLock { try body(&$0) }
    }
}

/// The key of a dict entry as Python hashes it: `1`, `1.0` and `True` are one key, and so are a
/// string and the same string as Markup.
public enum HashKey: Hashable, Sendable {
    case none
    case int(Int)
    case float(Double)
    case string(String)
    case tuple([HashKey])
    case object(ObjectIdentifier)

    /// Throws `unhashable type` for lists and dicts, as Python does.
    public init(_ value: Value) throws {
        switch value {
        case .none, .undefined: self = .none
        case .bool(let b): self = .int(b ? 1 : 0)
        case .int(let i): self = .int(i)
        case .float(let d):
            if d.rounded() == d, let i = Int(exactly: d) { self = .int(i) } else { self = .float(d) }
        case .string(let s), .markup(let s): self = .string(s)
        case .tuple(let items): self = .tuple(try items.map(HashKey.init))
        case .list: throw TemplateError(.type, "unhashable type: 'list'")
        case .dict: throw TemplateError(.type, "unhashable type: 'dict'")
        case .object(let o): self = .object(ObjectIdentifier(o))
        }
    }
}

/// Insertion-ordered storage of a dict. Deletion is rare in templates (`pop`), so it rebuilds.
/// Insertion-ordered storage of a dict. Small dicts (most template dicts are records of a few
/// keys) are searched linearly: building and probing Swift's SipHash-seeded index costs more
/// than comparing a handful of keys. Past `indexThreshold` keys a hash index takes over.
/// Deletion is rare in templates (`pop`), so it rebuilds.
public struct OrderedDict: Sendable {
    public private(set) var keys: [Value] = []
    public private(set) var values: [Value] = []
    private var hashKeys: [HashKey] = []
    private var index: [HashKey: Int]?
    private static let indexThreshold = 8

    public init() {}

    /// An empty dict with room for `capacity` keys.
    public init(capacity: Int) {
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
        hashKeys.reserveCapacity(capacity)
    }

    /// Builds from string keys in order; a repeated key keeps its first place and last value.
    public init(_ pairs: [(String, Value)]) {
        keys.reserveCapacity(pairs.count)
        values.reserveCapacity(pairs.count)
        hashKeys.reserveCapacity(pairs.count)
        for (key, value) in pairs { set(.string(key), value, hashKey: .string(key)) }
    }

    public var count: Int { keys.count }
    public var isEmpty: Bool { keys.isEmpty }

    public subscript(key: String) -> Value? {
        value(for: .string(key))
    }

    public func value(for key: HashKey) -> Value? {
        guard let i = position(of: key) else { return nil }
        return values[i]
    }

    private func position(of key: HashKey) -> Int? {
        if let index { return index[key] }
        return hashKeys.firstIndex(of: key)
    }

    public mutating func set(_ key: Value, _ value: Value) throws {
        set(key, value, hashKey: try HashKey(key))
    }

    public mutating func set(_ key: String, _ value: Value) {
        set(.string(key), value, hashKey: .string(key))
    }

    private mutating func set(_ key: Value, _ value: Value, hashKey: HashKey) {
        if let i = position(of: hashKey) {
            values[i] = value
            return
        }
        index?[hashKey] = keys.count
        keys.append(key)
        values.append(value)
        hashKeys.append(hashKey)
        if index == nil && keys.count > OrderedDict.indexThreshold { buildIndex() }
    }

    private mutating func buildIndex() {
        var built: [HashKey: Int] = [:]
        built.reserveCapacity(hashKeys.count)
        for (position, key) in hashKeys.enumerated() { built[key] = position }
        index = built
    }

    /// Removes a key and returns its value, or nil when it is absent.
    @discardableResult
    public mutating func remove(_ key: Value) throws -> Value? {
        guard let i = position(of: try HashKey(key)) else { return nil }
        let removed = values[i]
        keys.remove(at: i)
        values.remove(at: i)
        hashKeys.remove(at: i)
        if index != nil { buildIndex() }
        return removed
    }

    public var pairs: Zip2Sequence<[Value], [Value]> { zip(keys, values) }
}

/// Arguments of a call, a filter or a test, as written: positional then keyword.
public struct CallArguments: Sendable {
    public var positional: [Value]
    public var keyword: [(String, Value)]

    public init(_ positional: [Value] = [], keyword: [(String, Value)] = []) {
        self.positional = positional
        self.keyword = keyword
    }

    public static let empty = CallArguments()
}

/// Objects other than the plain data types: namespaces, macros, loop objects, cyclers, …
public protocol JinjaObject: AnyObject, Sendable {
    /// The Python type name used in messages: `'namespace object' has no attribute 'x'`.
    var typeName: String { get }
    /// An attribute, or nil when there is none (the caller makes the undefined).
    func attribute(_ name: String, state: RenderState) throws -> Value?
    /// Calls the object; objects that are not callable throw.
    func call(_ arguments: CallArguments, state: RenderState) throws -> Value
    var isCallable: Bool { get }
    /// Python's `repr()`; `str()` is the same unless overridden.
    var pythonRepr: String { get }
    var pythonStr: String { get }
    /// Elements when iterated, or nil when the object is not iterable.
    func iterate(state: RenderState) throws -> [Value]?
}

extension JinjaObject {
    public func attribute(_ name: String, state: RenderState) throws -> Value? { nil }
    public func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        throw TemplateError(.type, "'\(typeName)' object is not callable")
    }
    public var isCallable: Bool { false }
    public var pythonRepr: String { "<\(typeName) object>" }
    public var pythonStr: String { pythonRepr }
    public func iterate(state: RenderState) throws -> [Value]? { nil }
}
