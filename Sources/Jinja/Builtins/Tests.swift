/// Jinja2's built-in tests (`value is name(args)`).
enum Tests {
    static let all: [String: TestFunction] = {
        var tests: [String: TestFunction] = [
            "defined": { value, args, _ in
                try Signature.none("test_defined", args)
                return !value.isUndefined
            },
            "undefined": { value, args, _ in
                try Signature.none("test_undefined", args)
                return value.isUndefined
            },
            "none": typeTest("test_none") { $0.isNone },
            "boolean": typeTest("test_boolean") { if case .bool = $0 { return true } else { return false } },
            "true": typeTest("test_true") { if case .bool(true) = $0 { return true } else { return false } },
            "false": typeTest("test_false") { if case .bool(false) = $0 { return true } else { return false } },
            "integer": typeTest("test_integer") { if case .int = $0 { return true } else { return false } },
            "float": typeTest("test_float") { if case .float = $0 { return true } else { return false } },
            "number": typeTest("test_number") { $0.numericValue != nil },
            "string": typeTest("test_string") {
                switch $0 { case .string, .markup: return true; default: return false }
            },
            "mapping": typeTest("test_mapping") { if case .dict = $0 { return true } else { return false } },
            "escaped": typeTest("test_escaped") { $0.isMarkup },
            "callable": { value, args, _ in
                try Signature("callable", [], implicit: 1).bind(args)
                switch value {
                case .undefined: return true  // Jinja2's Undefined defines __call__.
                case .object(let o): return o.isCallable
                default: return false
                }
            },
            "sequence": { value, args, state in
                try Signature.none("test_sequence", args)
                switch value {
                case .string, .markup, .list, .tuple, .dict: return true
                case .undefined(let u): return !state.isStrict(u)
                default: return false
                }
            },
            "iterable": { value, args, state in
                try Signature.none("test_iterable", args)
                switch value {
                case .string, .markup, .list, .tuple, .dict: return true
                case .undefined(let u):
                    if state.isStrict(u) { throw state.undefinedError(u) }
                    return true
                case .object(let o): return try o.iterate(state: state) != nil
                default: return false
                }
            },
            "lower": { value, args, state in
                try Signature.none("test_lower", args)
                return PyString.isCase(try state.str(value), upper: false)
            },
            "upper": { value, args, state in
                try Signature.none("test_upper", args)
                return PyString.isCase(try state.str(value), upper: true)
            },
            "odd": { value, args, state in
                try Signature.none("test_odd", args)
                return try Operators.binary(.modulo, value, .int(2), state: state).pythonEquals(.int(1))
            },
            "even": { value, args, state in
                try Signature.none("test_even", args)
                return try Operators.binary(.modulo, value, .int(2), state: state).pythonEquals(.int(0))
            },
            "divisibleby": { value, args, state in
                let a = try Signature("test_divisibleby", ["num"], required: 1).bind(args)
                return try Operators.binary(.modulo, value, a[0] ?? .none, state: state).pythonEquals(.int(0))
            },
            "sameas": { value, args, state in
                let a = try Signature("test_sameas", ["other"], required: 1).bind(args)
                return sameObject(value, a[0] ?? .none)
            },
            "in": { value, args, state in
                let a = try Signature("test_in", ["seq"], required: 1).bind(args)
                return try Operators.contains(a[0] ?? .none, value, state: state)
            },
            "filter": { value, args, state in
                try Signature("test_filter", [], implicit: 2).bind(args)
                guard case .string(let name) = value.markupAsString else { return false }
                return state.environment.filters[name] != nil
            },
            "test": { value, args, state in
                try Signature("test_test", [], implicit: 2).bind(args)
                guard case .string(let name) = value.markupAsString else { return false }
                return state.environment.tests[name] != nil
            },
        ]
        let comparisons: [(CompareOperator, [String])] = [
            (.equal, ["eq", "==", "equalto"]), (.notEqual, ["ne", "!="]),
            (.less, ["lt", "<", "lessthan"]), (.lessOrEqual, ["le", "<="]),
            (.greater, ["gt", ">", "greaterthan"]), (.greaterOrEqual, ["ge", ">="]),
        ]
        for (op, names) in comparisons {
            let signature = Signature(op.rawValue, ["b"], required: 1)
            let test: TestFunction = { value, args, state in
                let a = try signature.bind(args)
                return try Operators.compare(op, value, a[0] ?? .none, state: state)
            }
            for name in names { tests[name] = test }
        }
        return tests
    }()

    private static func typeTest(_ name: String, _ predicate: @escaping @Sendable (Value) -> Bool) -> TestFunction {
        { value, args, _ in
            try Signature.none(name, args)
            return predicate(value)
        }
    }

    /// Python's `is`: the same object. Small values that CPython shares (None, booleans, ints,
    /// strings) count as the same when equal; lists, dicts and objects by reference.
    static func sameObject(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.none, .none): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x), .int(let y)): return x == y
        case (.float(let x), .float(let y)): return x.bitPattern == y.bitPattern
        case (.string(let x), .string(let y)), (.markup(let x), .markup(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.list(let x), .list(let y)): return x === y
        case (.dict(let x), .dict(let y)): return x === y
        case (.object(let x), .object(let y)): return x === y
        default: return false
        }
    }
}
