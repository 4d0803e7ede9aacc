/// The methods of Python's `str`, `list`, `dict` and `tuple` that templates call:
/// `{{ name.upper() }}`, `{% set _ = items.append(x) %}`, `{% for k, v in d.items() %}`.
/// On Markup, string methods return Markup and escape their string arguments, as MarkupSafe does.
///
/// Deviation: `dict.items()`, `keys()` and `values()` return lists (Python returns views that
/// print as `dict_items([...])`).
enum Methods {
    typealias Function = @Sendable (_ receiver: Value, CallArguments, RenderState) throws -> Value

    /// A method bound to the value it was looked up on.
    static func bind(_ function: @escaping Function, _ name: String, to receiver: Value) -> Value {
        .object(BoundMethod(receiver: receiver, name: name, function: function))
    }

    // MARK: str

    static let string: [String: Function] = [
        "upper": stringTransform("upper") { PyString.upper($0) },
        "lower": stringTransform("lower") { PyString.lower($0) },
        "title": stringTransform("title") { PyString.title($0) },
        "capitalize": stringTransform("capitalize") { PyString.capitalize($0) },
        "swapcase": stringTransform("swapcase") { PyString.swapcase($0) },
        "casefold": stringTransform("casefold") { PyString.casefold($0) },
        "strip": stripMethod("strip", left: true, right: true),
        "lstrip": stripMethod("lstrip", left: true, right: false),
        "rstrip": stripMethod("rstrip", left: false, right: true),
        "split": splitMethod("split", fromEnd: false),
        "rsplit": splitMethod("rsplit", fromEnd: true),
        "splitlines": { receiver, args, state in
            let a = try Signature.method("splitlines", ["keepends"]).bind(args)
            let keep = try a[0].map { try state.truthy($0) } ?? false
            return .list(PyString.splitlines(text(receiver), keepends: keep).map { state.same(as: receiver, $0) })
        },
        "replace": { receiver, args, state in
            let a = try Signature.method("replace", ["old", "new", "count"], required: 2).bind(args)
            let old = try argument(a[0], receiver, state), new = try argument(a[1], receiver, state)
            let count = try state.optionalIndex(a[2]) ?? -1
            return state.same(as: receiver, PyString.replace(text(receiver), old, new, count: count))
        },
        "startswith": affixTest("startswith") { $0.hasPrefixScalars($1) },
        "endswith": affixTest("endswith") { $0.hasSuffixScalars($1) },
        "removeprefix": { receiver, args, state in
            let a = try Signature.method("removeprefix", ["prefix"], required: 1).bind(args)
            let prefix = try argument(a[0], receiver, state), s = text(receiver)
            guard s.hasPrefixScalars(prefix) else { return receiver }
            return state.same(as: receiver, String(s.utf8.dropFirst(prefix.utf8.count)) ?? s)
        },
        "removesuffix": { receiver, args, state in
            let a = try Signature.method("removesuffix", ["suffix"], required: 1).bind(args)
            let suffix = try argument(a[0], receiver, state), s = text(receiver)
            guard s.hasSuffixScalars(suffix), !suffix.isEmpty else { return receiver }
            return state.same(as: receiver, String(s.utf8.dropLast(suffix.utf8.count)) ?? s)
        },
        "format": { receiver, args, state in
            let escaping: Bool
            if case .markup = receiver { escaping = true } else { escaping = false }
            return state.same(as: receiver, try PythonFormat.format(text(receiver), args, state: state, escaping: escaping))
        },
        "join": { receiver, args, state in
            let a = try Signature.method("join", ["iterable"], required: 1).bind(args)
            let items = try state.iterate(a[0] ?? .none)
            var parts: [String] = []
            parts.reserveCapacity(items.count)
            for (i, item) in items.enumerated() {
                switch item {
                case .string(let s): parts.append(receiver.isMarkup ? HTML.escape(s) : s)
                case .markup(let s): parts.append(s)
                default:
                    throw TemplateError(.type, "sequence item \(i): expected str instance, \(item.typeName) found")
                }
            }
            return state.same(as: receiver, parts.joined(separator: text(receiver)))
        },
        "center": padMethod("center") { PyString.center($0, $1, fill: $2) },
        "ljust": padMethod("ljust") { PyString.ljust($0, $1, fill: $2) },
        "rjust": padMethod("rjust") { PyString.rjust($0, $1, fill: $2) },
        "zfill": { receiver, args, state in
            let a = try Signature.method("zfill", ["width"], required: 1).bind(args)
            return state.same(as: receiver, PyString.zfill(text(receiver), try state.index(a[0] ?? .none)))
        },
        "count": { receiver, args, state in
            let a = try Signature.method("count", ["sub"], required: 1).bind(args)
            return .int(PyString.count(text(receiver), try argument(a[0], receiver, state)))
        },
        "find": { receiver, args, state in
            let a = try Signature.method("find", ["sub"], required: 1).bind(args)
            return .int(PyString.find(text(receiver), try argument(a[0], receiver, state)))
        },
        "rfind": { receiver, args, state in
            let a = try Signature.method("rfind", ["sub"], required: 1).bind(args)
            return .int(PyString.rfind(text(receiver), try argument(a[0], receiver, state)))
        },
        "index": { receiver, args, state in
            let a = try Signature.method("index", ["sub"], required: 1).bind(args)
            let i = PyString.find(text(receiver), try argument(a[0], receiver, state))
            if i < 0 { throw TemplateError(.value, "substring not found") }
            return .int(i)
        },
        "rindex": { receiver, args, state in
            let a = try Signature.method("rindex", ["sub"], required: 1).bind(args)
            let i = PyString.rfind(text(receiver), try argument(a[0], receiver, state))
            if i < 0 { throw TemplateError(.value, "substring not found") }
            return .int(i)
        },
        "partition": partitionMethod("partition", fromEnd: false),
        "rpartition": partitionMethod("rpartition", fromEnd: true),
        "isdigit": stringTest("isdigit") { PyString.all($0, PyString.isDigit) },
        "isdecimal": stringTest("isdecimal") { PyString.all($0, PyString.isDecimal) },
        "isnumeric": stringTest("isnumeric") { PyString.all($0) { $0.properties.numericType != nil } },
        "isalpha": stringTest("isalpha") { PyString.all($0, PyString.isAlpha) },
        "isalnum": stringTest("isalnum") { PyString.all($0, PyString.isAlnum) },
        "isspace": stringTest("isspace") { PyString.all($0, PyString.isSpace) },
        "isascii": stringTest("isascii") { $0.utf8.allSatisfy { $0 < 0x80 } },
        "isupper": stringTest("isupper") { PyString.isCase($0, upper: true) },
        "islower": stringTest("islower") { PyString.isCase($0, upper: false) },
        "istitle": stringTest("istitle") { PyString.isTitle($0) },
    ]

    private static func text(_ value: Value) -> String {
        switch value {
        case .string(let s), .markup(let s): return s
        default: return value.pythonStr
        }
    }

    /// A string argument of a string method; on Markup it is escaped first.
    private static func argument(_ value: Value?, _ receiver: Value, _ state: RenderState) throws -> String {
        let value = value ?? .none
        switch value {
        case .string(let s): return receiver.isMarkup ? HTML.escape(s) : s
        case .markup(let s): return s
        case .undefined(let u) where state.isStrict(u): throw state.undefinedError(u)
        default: throw TemplateError(.type, "must be str, not \(value.typeName)")
        }
    }

    private static func stringTransform(_ name: String, _ transform: @escaping @Sendable (String) -> String) -> Function {
        { receiver, args, state in
            try Signature.method("str.\(name)").bind(args)
            return state.same(as: receiver, transform(text(receiver)))
        }
    }

    private static func stringTest(_ name: String, _ test: @escaping @Sendable (String) -> Bool) -> Function {
        { receiver, args, _ in
            try Signature.method("str.\(name)").bind(args)
            return .bool(test(text(receiver)))
        }
    }

    private static func stripMethod(_ name: String, left: Bool, right: Bool) -> Function {
        { receiver, args, state in
            let a = try Signature.method(name, ["chars"]).bind(args)
            var chars: String? = nil
            if let c = a[0], !c.isNone { chars = try argument(c, receiver, state) }
            return state.same(as: receiver, PyString.strip(text(receiver), chars, left: left, right: right))
        }
    }

    private static func splitMethod(_ name: String, fromEnd: Bool) -> Function {
        { receiver, args, state in
            let a = try Signature.method(name, ["sep", "maxsplit"]).bind(args)
            var sep: String? = nil
            if let s = a[0], !s.isNone { sep = try argument(s, receiver, state) }
            let maxsplit = try state.optionalIndex(a[1]) ?? -1
            let parts = fromEnd ? try PyString.rsplit(text(receiver), sep, maxsplit: maxsplit)
                                : try PyString.split(text(receiver), sep, maxsplit: maxsplit)
            return .list(parts.map { state.same(as: receiver, $0) })
        }
    }

    private static func affixTest(_ name: String, _ test: @escaping @Sendable (String, String) -> Bool) -> Function {
        { receiver, args, state in
            let a = try Signature.method(name, ["prefix"], required: 1).bind(args)
            let s = text(receiver)
            switch a[0] ?? .none {
            case .string(let p), .markup(let p): return .bool(test(s, p))
            case .tuple(let options):
                for option in options {
                    guard case .string(let p) = option.markupAsString else {
                        throw TemplateError(.type, "tuple for \(name) must only contain str, not \(option.typeName)")
                    }
                    if test(s, p) { return .bool(true) }
                }
                return .bool(false)
            case let other:
                try state.requireDefined(other)
                throw TemplateError(.type, "\(name) first arg must be str or a tuple of str, not \(other.typeName)")
            }
        }
    }

    private static func padMethod(_ name: String, _ pad: @escaping @Sendable (String, Int, Unicode.Scalar) -> String) -> Function {
        { receiver, args, state in
            let a = try Signature.method(name, ["width", "fillchar"], required: 1).bind(args)
            let width = try state.index(a[0] ?? .none)
            var fill: Unicode.Scalar = " "
            if let f = a[1] {
                let s = try argument(f, .string(""), state)
                guard PyString.length(s) == 1, let c = s.unicodeScalars.first else {
                    throw TemplateError(.type, "The fill character must be exactly one character long")
                }
                fill = c
            }
            return state.same(as: receiver, pad(text(receiver), width, fill))
        }
    }

    private static func partitionMethod(_ name: String, fromEnd: Bool) -> Function {
        { receiver, args, state in
            let a = try Signature.method(name, ["sep"], required: 1).bind(args)
            let (x, y, z) = try PyString.partition(text(receiver), try argument(a[0], receiver, state), fromEnd: fromEnd)
            return .tuple([state.same(as: receiver, x), state.same(as: receiver, y), state.same(as: receiver, z)])
        }
    }

    // MARK: list

    static let list: [String: Function] = [
        "append": listMethod("append", ["object"], required: 1) { storage, a, _ in
            storage.append(a[0] ?? .none)
            return .none
        },
        "extend": listMethod("extend", ["iterable"], required: 1) { storage, a, state in
            let items = try state.iterate(a[0] ?? .none)
            storage.mutate { $0.append(contentsOf: items) }
            return .none
        },
        "insert": listMethod("insert", ["index", "object"], required: 2) { storage, a, state in
            let i = try state.index(a[0] ?? .none)
            storage.mutate { elements in
                let n = elements.count
                let at = i < 0 ? max(0, i + n) : min(i, n)
                elements.insert(a[1] ?? .none, at: at)
            }
            return .none
        },
        "pop": listMethod("pop", ["index"]) { storage, a, state in
            let i = try state.optionalIndex(a[0]) ?? -1
            return try storage.mutate { elements in
                if elements.isEmpty { throw TemplateError(.lookup, "pop from empty list") }
                let at = i < 0 ? i + elements.count : i
                guard at >= 0 && at < elements.count else { throw TemplateError(.lookup, "pop index out of range") }
                return elements.remove(at: at)
            }
        },
        "remove": listMethod("remove", ["value"], required: 1) { storage, a, _ in
            let target = a[0] ?? .none
            return try storage.mutate { elements in
                guard let i = elements.firstIndex(where: { $0.pythonEquals(target) }) else {
                    throw TemplateError(.value, "list.remove(x): x not in list")
                }
                elements.remove(at: i)
                return .none
            }
        },
        "index": listMethod("index", ["value"], required: 1) { storage, a, _ in
            let target = a[0] ?? .none
            guard let i = storage.elements.firstIndex(where: { $0.pythonEquals(target) }) else {
                throw TemplateError(.value, "\(target.pythonRepr) is not in list")
            }
            return .int(i)
        },
        "count": listMethod("count", ["value"], required: 1) { storage, a, _ in
            let target = a[0] ?? .none
            return .int(storage.elements.reduce(0) { $0 + ($1.pythonEquals(target) ? 1 : 0) })
        },
        "reverse": listMethod("reverse", []) { storage, _, _ in
            storage.mutate { $0.reverse() }
            return .none
        },
        "sort": listMethod("sort", ["reverse"]) { storage, a, state in
            let reverse = try a[0].map { try state.truthy($0) } ?? false
            let sorted = try Ordering.sorted(storage.elements, reverse: reverse, state: state) { $0 }
            storage.mutate { $0 = sorted }
            return .none
        },
        "copy": listMethod("copy", []) { storage, _, _ in .list(storage.elements) },
        "clear": listMethod("clear", []) { storage, _, _ in
            storage.mutate { $0.removeAll() }
            return .none
        },
    ]

    private static func listMethod(_ name: String, _ parameters: [String], required: Int = 0,
                                   _ body: @escaping @Sendable (ListStorage, BoundArguments, RenderState) throws -> Value) -> Function {
        { receiver, args, state in
            guard case .list(let storage) = receiver else { return .none }
            return try body(storage, try Signature.method(name, parameters, required: required).bind(args), state)
        }
    }

    // MARK: tuple

    static let tuple: [String: Function] = [
        "index": { receiver, args, _ in
            let a = try Signature.method("index", ["value"], required: 1).bind(args)
            guard case .tuple(let t) = receiver, let i = t.firstIndex(where: { $0.pythonEquals(a[0] ?? .none) }) else {
                throw TemplateError(.value, "tuple.index(x): x not in tuple")
            }
            return .int(i)
        },
        "count": { receiver, args, _ in
            let a = try Signature.method("count", ["value"], required: 1).bind(args)
            guard case .tuple(let t) = receiver else { return .int(0) }
            return .int(t.reduce(0) { $0 + ($1.pythonEquals(a[0] ?? .none) ? 1 : 0) })
        },
    ]

    // MARK: dict

    /// A cheap test that rules out most names before `dict` is consulted: `row.name` on a dict
    /// is the hottest lookup in templates, and hashing the name each time showed in profiles.
    static func mayNameDictMethod(_ name: String) -> Bool {
        guard let first = name.utf8.first else { return false }
        return dictMethodInitials & (1 << UInt64(first & 63)) != 0 && first >= 64
            && (3...10).contains(name.utf8.count)
    }

    private static let dictMethodInitials: UInt64 = dict.keys.reduce(0) { bits, name in
        bits | (1 << UInt64((name.utf8.first ?? 0) & 63))
    }

    static let dict: [String: Function] = [
        "items": dictMethod("items", []) { d, _, _ in
            .list(d.snapshot.pairs.map { .tuple([$0, $1]) })
        },
        "keys": dictMethod("keys", []) { d, _, _ in .list(d.snapshot.keys) },
        "values": dictMethod("values", []) { d, _, _ in .list(d.snapshot.values) },
        "get": dictMethod("get", ["key", "default"], required: 1) { d, a, _ in
            (try? d.value(forKey: a[0] ?? .none)) ?? nil ?? a[1] ?? .none
        },
        "pop": dictMethod("pop", ["key", "default"], required: 1) { d, a, _ in
            let key = a[0] ?? .none
            if let removed = try d.mutate({ try $0.remove(key) }) { return removed }
            if let fallback = a[1] { return fallback }
            throw TemplateError(.lookup, key.pythonRepr)
        },
        "popitem": dictMethod("popitem", []) { d, _, _ in
            try d.mutate { dict in
                guard let key = dict.keys.last else {
                    throw TemplateError(.lookup, "'popitem(): dictionary is empty'")
                }
                let value = try dict.remove(key) ?? .none
                return .tuple([key, value])
            }
        },
        "setdefault": dictMethod("setdefault", ["key", "default"], required: 1) { d, a, _ in
            let key = a[0] ?? .none
            return try d.mutate { dict in
                if let existing = dict.value(for: try HashKey(key)) { return existing }
                try dict.set(key, a[1] ?? .none)
                return a[1] ?? .none
            }
        },
        "update": { receiver, args, state in
            guard case .dict(let d) = receiver else { return .none }
            if args.positional.count > 1 {
                throw TemplateError(.type, "update expected at most 1 argument, got \(args.positional.count)")
            }
            var pairs: [(Value, Value)] = []
            if let source = args.positional.first { pairs = try Globals.pairs(of: source, state: state) }
            for (k, v) in args.keyword { pairs.append((.string(k), v)) }
            try d.mutate { dict in for (k, v) in pairs { try dict.set(k, v) } }
            return .none
        },
        "copy": dictMethod("copy", []) { d, _, _ in .dict(DictStorage(d.snapshot)) },
        "clear": dictMethod("clear", []) { d, _, _ in
            d.mutate { $0 = OrderedDict() }
            return .none
        },
    ]

    private static func dictMethod(_ name: String, _ parameters: [String], required: Int = 0,
                                   _ body: @escaping @Sendable (DictStorage, BoundArguments, RenderState) throws -> Value) -> Function {
        { receiver, args, state in
            guard case .dict(let storage) = receiver else { return .none }
            return try body(storage, try Signature.method(name, parameters, required: required).bind(args), state)
        }
    }
}

/// A method looked up on a value (`name.upper`), called later with its arguments.
final class BoundMethod: JinjaObject {
    let receiver: Value
    let name: String
    let function: Methods.Function

    init(receiver: Value, name: String, function: @escaping Methods.Function) {
        self.receiver = receiver
        self.name = name
        self.function = function
    }

    var typeName: String { "builtin_function_or_method" }
    var isCallable: Bool { true }
    var pythonRepr: String { "<built-in method \(name) of \(receiver.typeName) object>" }

    func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        try function(receiver, arguments, state)
    }
}

extension Value {
    var isMarkup: Bool {
        if case .markup = self { return true }
        return false
    }

    var isNone: Bool {
        if case .none = self { return true }
        return false
    }

    /// Markup as a plain string value; anything else unchanged.
    var markupAsString: Value {
        if case .markup(let s) = self { return .string(s) }
        return self
    }
}

extension String {
    /// `str.startswith` by code points (Swift's `hasPrefix` compares graphemes).
    func hasPrefixScalars(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }
    func hasSuffixScalars(_ suffix: String) -> Bool { utf8.reversed().starts(with: suffix.utf8.reversed()) }
}
