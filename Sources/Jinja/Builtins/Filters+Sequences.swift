/// The filters over sequences and mappings. Where Jinja2 returns a generator (`map`, `select`,
/// `reverse`, `batch`, …) these return a list: the elements are the same, only `{{ … }}` of the
/// bare result differs (Jinja2 prints `<generator object …>`).
extension Filters {
    static let sequences: [String: FilterFunction] = [
        "length": lengthFilter,
        "count": lengthFilter,
        "list": { value, args, state in
            try Signature.none("do_list", args)
            return .list(try state.iterate(value))
        },
        "first": { value, args, state in
            try Signature.none("do_first", args, implicit: 2)
            return try state.iterate(value).first ?? .undefined(Undefined(hint: "No first item, sequence was empty."))
        },
        "last": { value, args, state in
            try Signature.none("do_last", args, implicit: 2)
            return try state.iterate(value).last ?? .undefined(Undefined(hint: "No last item, sequence was empty."))
        },
        "random": { value, args, state in
            try Signature.none("do_random", args, implicit: 2)
            return try state.iterate(value).randomElement() ?? .undefined(Undefined(hint: "No random item, sequence was empty."))
        },
        "reverse": { value, args, state in
            try Signature.none("do_reverse", args)
            switch value {
            case .string(let s), .markup(let s):
                return state.same(as: value, PyString.make(s.unicodeScalars.reversed()))
            case .undefined, .list, .tuple, .dict, .object:
                return .list(try state.iterate(value).reversed())
            default:
                throw TemplateError(.runtime, "argument must be iterable")
            }
        },
        "items": { value, args, state in
            try Signature.none("do_items", args)
            switch value {
            case .undefined: return .list([])
            case .dict(let d): return .list(d.snapshot.pairs.map { .tuple([$0, $1]) })
            default: throw TemplateError(.type, "Can only get item pairs from a mapping.")
            }
        },
        "default": defaultFilter,
        "d": defaultFilter,
        "attr": { value, args, state in
            let a = try Signature("do_attr", ["name"], required: 1, implicit: 2).bind(args)
            return try state.attributeOnly(of: value, try state.str(a[0] ?? .none))
        },
        "batch": { value, args, state in
            let a = try Signature("do_batch", ["linecount", "fill_with"], required: 1).bind(args)
            let size = try state.index(a[0] ?? .none)
            let fill = a[1].flatMap { $0.isNone ? nil : $0 }
            var batches: [Value] = []
            var current: [Value] = []
            for item in try state.iterate(value) {
                if current.count == size {
                    batches.append(.list(current))
                    current = []
                }
                current.append(item)
            }
            if !current.isEmpty {
                if let fill, current.count < size {
                    current += [Value](repeating: fill, count: size - current.count)
                }
                batches.append(.list(current))
            }
            return .list(batches)
        },
        "slice": { value, args, state in
            let a = try Signature("do_slice", ["slices", "fill_with"], required: 1).bind(args)
            let slices = try state.index(a[0] ?? .none)
            let fill = a[1].flatMap { $0.isNone ? nil : $0 }
            let items = try state.iterate(value)
            if slices == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
            let perSlice = Int((Double(items.count) / Double(slices)).rounded(.down))
            let withExtra = ((items.count % slices) + slices) % slices
            var offset = 0
            var result: [Value] = []
            for number in 0..<max(0, slices) {
                let start = offset + number * perSlice
                if number < withExtra { offset += 1 }
                let end = offset + (number + 1) * perSlice
                var chunk = Array(items[RenderState.sliceRange(count: items.count, start: start, stop: end)])
                if let fill, number >= withExtra { chunk.append(fill) }
                result.append(.list(chunk))
            }
            return .list(result)
        },
        "dictsort": { value, args, state in
            let a = try Signature("do_dictsort", ["case_sensitive", "by", "reverse"]).bind(args)
            let caseSensitive = try a[0].map { try state.truthy($0) } ?? false
            let by = try a[1].map { try state.str($0) } ?? "key"
            let reverse = try a[2].map { try state.truthy($0) } ?? false
            guard by == "key" || by == "value" else {
                throw TemplateError(.runtime, "You can only sort by either \"key\" or \"value\"")
            }
            guard case .dict(let d) = value else {
                if case .undefined(let u) = value { throw state.undefinedError(u) }
                throw TemplateError(.type, "'\(value.typeName)' object has no attribute 'items'")
            }
            let pairs: [Value] = d.snapshot.pairs.map { .tuple([$0, $1]) }
            let position = by == "key" ? 0 : 1
            return .list(try Ordering.sorted(pairs, reverse: reverse, state: state) { pair in
                guard case .tuple(let t) = pair else { return pair }
                return caseSensitive ? t[position] : Ordering.ignoreCase(t[position])
            })
        },
        "sort": { value, args, state in
            let a = try Signature("do_sort", ["reverse", "case_sensitive", "attribute"], implicit: 2).bind(args)
            let reverse = try a[0].map { try state.truthy($0) } ?? false
            let caseSensitive = try a[1].map { try state.truthy($0) } ?? false
            let paths = AttributePath.multiple(a[2])
            let items = try state.iterate(value)
            return .list(try Ordering.sorted(items, reverse: reverse, state: state) { item in
                let keys = try paths.map { path in
                    let key = try path.lookup(item, state: state)
                    return caseSensitive ? key : Ordering.ignoreCase(key)
                }
                return keys.count == 1 ? keys[0] : .list(keys)
            })
        },
        "unique": { value, args, state in
            let a = try Signature("do_unique", ["case_sensitive", "attribute"], implicit: 2).bind(args)
            let caseSensitive = try a[0].map { try state.truthy($0) } ?? false
            let path = AttributePath(a[1])
            var seen = Set<HashKey>()
            var result: [Value] = []
            for item in try state.iterate(value) {
                let key = try path.lookup(item, state: state)
                if seen.insert(try HashKey(caseSensitive ? key : Ordering.ignoreCase(key))).inserted {
                    result.append(item)
                }
            }
            return .list(result)
        },
        "min": extremeFilter("do_min", largest: false),
        "max": extremeFilter("do_max", largest: true),
        "sum": { value, args, state in
            let a = try Signature("do_sum", ["attribute", "start"], implicit: 2).bind(args)
            let path = AttributePath(a[0])
            var total = a[1] ?? .int(0)
            for item in try state.iterate(value) {
                total = try Operators.binary(.add, total, try path.lookup(item, state: state), state: state)
            }
            return total
        },
        "join": { value, args, state in
            let a = try Signature("do_join", ["d", "attribute"], implicit: 2).bind(args)
            let separator = a[0] ?? .string("")
            let path = AttributePath(a[1])
            var items = try state.iterate(value)
            if !path.isEmpty { items = try items.map { try path.lookup($0, state: state) } }
            if !state.autoescape {
                return .string(try items.map { try state.str($0) }.joined(separator: try state.str(separator)))
            }
            // Under autoescape: if the separator or any item is Markup, everything else is
            // escaped and the result is Markup.
            if separator.isMarkup || items.contains(where: \.isMarkup) {
                return .markup(try items.map { try state.escapedText($0) }.joined(separator: try state.escapedText(separator)))
            }
            return .string(try items.map { try state.str($0) }.joined(separator: try state.str(separator)))
        },
        "groupby": { value, args, state in
            let a = try Signature("do_groupby", ["attribute", "default", "case_sensitive"], required: 1, implicit: 2).bind(args)
            let path = AttributePath(a[0])
            let fallback = a[1].flatMap { $0.isNone ? nil : $0 }
            let caseSensitive = try a[2].map { try state.truthy($0) } ?? false
            func key(_ item: Value) throws -> Value {
                let k = try path.lookup(item, state: state, defaultValue: fallback)
                return caseSensitive ? k : Ordering.ignoreCase(k)
            }
            let sorted = try Ordering.sorted(try state.iterate(value), reverse: false, state: state, key: key)
            var groups: [Value] = []
            var currentKey: Value? = nil
            var members: [Value] = []
            func close() throws {
                guard let first = members.first, let k = currentKey else { return }
                let grouper = caseSensitive ? k : try path.lookup(first, state: state, defaultValue: fallback)
                groups.append(.tuple([grouper, .list(members)]))
            }
            for item in sorted {
                let k = try key(item)
                if let current = currentKey, current.pythonEquals(k) {
                    members.append(item)
                } else {
                    try close()
                    currentKey = k
                    members = [item]
                }
            }
            try close()
            return .list(groups)
        },
        "map": { value, args, state in
            let items = try state.iterate(value)
            if items.isEmpty { return .list([]) }
            if args.positional.isEmpty, let attribute = args.keyword.first(where: { $0.0 == "attribute" })?.1 {
                var fallback: Value? = nil
                for (name, v) in args.keyword where name != "attribute" {
                    guard name == "default" else {
                        throw TemplateError(.runtime, "Unexpected keyword argument \(Value.reprString(name))")
                    }
                    fallback = v.isNone ? nil : v
                }
                let path = AttributePath(attribute)
                return .list(try items.map { try path.lookup($0, state: state, defaultValue: fallback) })
            }
            guard let nameValue = args.positional.first else {
                throw TemplateError(.runtime, "map requires a filter argument")
            }
            let name = try state.str(nameValue)
            let rest = CallArguments(Array(args.positional.dropFirst()), keyword: args.keyword)
            return .list(try items.map { try state.callFilter(name, $0, rest) })
        },
        "select": selectFilter(attribute: false, keep: true),
        "reject": selectFilter(attribute: false, keep: false),
        "selectattr": selectFilter(attribute: true, keep: true),
        "rejectattr": selectFilter(attribute: true, keep: false),
    ]

    private static let lengthFilter: FilterFunction = { value, args, state in
        try Signature.none("len", args)
        return .int(try state.length(of: value))
    }

    private static let defaultFilter: FilterFunction = { value, args, state in
        let a = try Signature("do_default", ["default_value", "boolean"]).bind(args)
        let fallback = a[0] ?? .string("")
        let boolean = try a[1].map { try state.truthy($0) } ?? false
        if value.isUndefined || (boolean && !value.isTruthy) { return fallback }
        return value
    }

    private static func extremeFilter(_ name: String, largest: Bool) -> FilterFunction {
        { value, args, state in
            let a = try Signature(name, ["case_sensitive", "attribute"], implicit: 2).bind(args)
            let caseSensitive = try a[0].map { try state.truthy($0) } ?? false
            let path = AttributePath(a[1])
            let items = try state.iterate(value)
            let best = try Ordering.extreme(items, largest: largest, state: state) { item in
                let key = try path.lookup(item, state: state)
                return caseSensitive ? key : Ordering.ignoreCase(key)
            }
            return best ?? .undefined(Undefined(hint: "No aggregated item, sequence was empty."))
        }
    }

    /// `select`, `reject`, `selectattr`, `rejectattr`: keep the items whose (attribute's) test
    /// result equals `keep`; without a test name, the truth value decides.
    private static func selectFilter(attribute: Bool, keep: Bool) -> FilterFunction {
        { value, args, state in
            let items = try state.iterate(value)
            if items.isEmpty { return .list([]) }
            var positional = args.positional[...]
            var path: AttributePath? = nil
            if attribute {
                guard let name = positional.popFirst() else {
                    throw TemplateError(.runtime, "Missing parameter for attribute name")
                }
                path = AttributePath(name)
            }
            let test = try positional.popFirst().map { try state.test(named: state.str($0)) }
            let rest = CallArguments(Array(positional), keyword: args.keyword)
            var result: [Value] = []
            for item in items {
                let subject = try path?.lookup(item, state: state) ?? item
                let passed = try test.map { try $0(subject, rest, state) } ?? state.truthy(subject)
                if passed == keep { result.append(item) }
            }
            return .list(result)
        }
    }
}
