#if canImport(Glibc)
import Glibc
#endif

/// Python's arithmetic, comparison and membership on template values, with Python's results
/// (`7 // -2 == -4`, `1 / 2 == 0.5`, `'a' * 3`) and Python's `TypeError` messages.
///
/// One deviation: Python's ints are unbounded; ours are 64-bit, and an overflow raises
/// `ValueError: integer overflow` instead of giving a wrong answer.
enum Operators {
    static func binary(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, state: RenderState) throws -> Value {
        if case .undefined(let u) = lhs { throw state.undefinedError(u) }
        if case .undefined(let u) = rhs { throw state.undefinedError(u) }
        // The common case first: two ints.
        if case .int(let a) = lhs, case .int(let b) = rhs { return try integer(op, a, b) }
        if let a = lhs.numericValue, let b = rhs.numericValue {
            if case .int(let x) = a, case .int(let y) = b { return try integer(op, x, y) }
            return try floating(op, a.asDouble, b.asDouble, bothInts: false)
        }
        switch op {
        case .add: return try add(lhs, rhs)
        case .multiply: return try multiply(lhs, rhs, state: state)
        case .modulo:
            switch lhs {
            case .string(let format): return .string(try PythonFormat.percent(format, rhs, state: state))
            case .markup(let format):
                return .markup(try PythonFormat.percent(format, rhs, state: state, escaping: true))
            default: break
            }
        default: break
        }
        throw unsupported(op, lhs, rhs, state: state)
    }

    static func unsupported(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, state: RenderState) -> TemplateError {
        let symbol = op == .power ? "** or pow()" : op.rawValue
        return TemplateError(.type, "unsupported operand type(s) for \(symbol): '\(state.typeName(of: lhs))' and '\(state.typeName(of: rhs))'")
    }

    private static func overflow() -> TemplateError { TemplateError(.value, "integer overflow") }

    private static func integer(_ op: BinaryOperator, _ a: Int, _ b: Int) throws -> Value {
        switch op {
        case .add:
            let (r, o) = a.addingReportingOverflow(b)
            if o { throw overflow() }
            return .int(r)
        case .subtract:
            let (r, o) = a.subtractingReportingOverflow(b)
            if o { throw overflow() }
            return .int(r)
        case .multiply:
            let (r, o) = a.multipliedReportingOverflow(by: b)
            if o { throw overflow() }
            return .int(r)
        case .divide:
            if b == 0 { throw TemplateError(.value, "division by zero") }
            return .float(Double(a) / Double(b))
        case .floorDivide:
            if b == 0 { throw TemplateError(.value, "integer division or modulo by zero") }
            if a == Int.min && b == -1 { throw overflow() }
            let q = a / b
            return .int((a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q)
        case .modulo:
            if b == 0 { throw TemplateError(.value, "integer modulo by zero") }
            if b == -1 { return .int(0) }
            let r = a % b
            return .int((r != 0 && ((r < 0) != (b < 0))) ? r + b : r)
        case .power:
            if b < 0 {
                if a == 0 { throw TemplateError(.value, "0.0 cannot be raised to a negative power") }
                return .float(pow(Double(a), Double(b)))
            }
            var result = 1, base = a, exponent = b
            while exponent > 0 {
                if exponent & 1 == 1 {
                    let (r, o) = result.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    result = r
                }
                exponent >>= 1
                if exponent > 0 {
                    let (sq, o) = base.multipliedReportingOverflow(by: base)
                    if o { throw overflow() }
                    base = sq
                }
            }
            return .int(result)
        }
    }

    private static func floating(_ op: BinaryOperator, _ a: Double, _ b: Double, bothInts: Bool) throws -> Value {
        switch op {
        case .add: return .float(a + b)
        case .subtract: return .float(a - b)
        case .multiply: return .float(a * b)
        case .divide:
            if b == 0 { throw TemplateError(.value, "float division by zero") }
            return .float(a / b)
        case .floorDivide:
            if b == 0 { throw TemplateError(.value, "float floor division by zero") }
            return .float(floatDivmod(a, b).quotient)
        case .modulo:
            if b == 0 { throw TemplateError(.value, "float modulo") }
            return .float(floatDivmod(a, b).remainder)
        case .power:
            if a == 0 && b < 0 { throw TemplateError(.value, "0.0 cannot be raised to a negative power") }
            if a < 0 && b != b.rounded() && b.isFinite {
                throw TemplateError(.value, "a negative number raised to a fractional power has a complex result, which templates do not support")
            }
            return .float(pow(a, b))
        }
    }

    /// CPython's `float_divmod`: floor division and a remainder with the divisor's sign.
    static func floatDivmod(_ vx: Double, _ wx: Double) -> (quotient: Double, remainder: Double) {
        var mod = fmod(vx, wx)
        var div = (vx - mod) / wx
        if mod != 0 {
            if (wx < 0) != (mod < 0) {
                mod += wx
                div -= 1
            }
        } else {
            mod = copysign(0, wx)
        }
        var floordiv: Double
        if div != 0 {
            floordiv = div.rounded(.down)
            if div - floordiv > 0.5 { floordiv += 1 }
        } else {
            floordiv = copysign(0, vx / wx)
        }
        return (floordiv, mod)
    }

    private static func add(_ lhs: Value, _ rhs: Value) throws -> Value {
        switch (lhs, rhs) {
        case (.string(let a), .string(let b)): return .string(a + b)
        case (.markup(let a), .markup(let b)): return .markup(a + b)
        case (.markup(let a), .string(let b)): return .markup(a + HTML.escape(b))
        case (.string(let a), .markup(let b)): return .markup(HTML.escape(a) + b)
        case (.list(let a), .list(let b)): return .list(a.elements + b.elements)
        case (.tuple(let a), .tuple(let b)): return .tuple(a + b)
        case (.string, _):
            throw TemplateError(.type, "can only concatenate str (not \"\(rhs.typeName)\") to str")
        case (.list, _):
            throw TemplateError(.type, "can only concatenate list (not \"\(rhs.typeName)\") to list")
        case (.tuple, _):
            throw TemplateError(.type, "can only concatenate tuple (not \"\(rhs.typeName)\") to tuple")
        default:
            throw TemplateError(.type, "unsupported operand type(s) for +: '\(lhs.typeName)' and '\(rhs.typeName)'")
        }
    }

    private static func multiply(_ lhs: Value, _ rhs: Value, state: RenderState) throws -> Value {
        let sequence: Value, count: Int
        switch (lhs, rhs) {
        case (.string, .int), (.string, .bool), (.markup, .int), (.markup, .bool),
             (.list, .int), (.list, .bool), (.tuple, .int), (.tuple, .bool):
            sequence = lhs; count = try state.index(rhs)
        case (.int, .string), (.bool, .string), (.int, .markup), (.bool, .markup),
             (.int, .list), (.bool, .list), (.int, .tuple), (.bool, .tuple):
            sequence = rhs; count = try state.index(lhs)
        case (.string, _), (.markup, _), (.list, _), (.tuple, _):
            throw TemplateError(.type, "can't multiply sequence by non-int of type '\(rhs.typeName)'")
        case (_, .string), (_, .markup), (_, .list), (_, .tuple):
            throw TemplateError(.type, "can't multiply sequence by non-int of type '\(lhs.typeName)'")
        default:
            throw unsupported(.multiply, lhs, rhs, state: state)
        }
        let n = max(0, count)
        func guardSize(_ unit: Int) throws {
            let (total, o) = unit.multipliedReportingOverflow(by: n)
            if o || total > state.environment.options.limits.maxOutputBytes {
                throw TemplateError(.limit, "the repeated sequence would pass the output limit")
            }
        }
        switch sequence {
        case .string(let s):
            try guardSize(s.utf8.count)
            return .string(String(repeating: s, count: n))
        case .markup(let s):
            try guardSize(s.utf8.count)
            return .markup(String(repeating: s, count: n))
        case .list(let l):
            let elements = l.elements
            try guardSize(elements.count)
            try state.countIteration(elements.count * n)
            return .list(Array([[Value]](repeating: elements, count: n).joined()))
        case .tuple(let t):
            try guardSize(t.count)
            try state.countIteration(t.count * n)
            return .tuple(Array([[Value]](repeating: t, count: n).joined()))
        default:
            throw unsupported(.multiply, lhs, rhs, state: state)
        }
    }

    static func unary(_ op: UnaryOperator, _ value: Value, state: RenderState) throws -> Value {
        if op == .not { return .bool(!(try state.truthy(value))) }
        if case .undefined(let u) = value { throw state.undefinedError(u) }
        switch (op, value) {
        case (.negate, .int(let i)):
            if i == Int.min { throw overflow() }
            return .int(-i)
        case (.negate, .bool(let b)): return .int(b ? -1 : 0)
        case (.negate, .float(let d)): return .float(-d)
        case (.plus, .int), (.plus, .float): return value
        case (.plus, .bool(let b)): return .int(b ? 1 : 0)
        default:
            throw TemplateError(.type, "bad operand type for unary \(op == .negate ? "-" : "+"): '\(value.typeName)'")
        }
    }

    static func compare(_ op: CompareOperator, _ lhs: Value, _ rhs: Value, state: RenderState) throws -> Bool {
        if let a = lhs.numericValue, let b = rhs.numericValue, op != .in, op != .notIn {
            if case .int(let x) = a, case .int(let y) = b { return compareOrdered(op, x, y) }
            return compareOrdered(op, a.asDouble, b.asDouble)
        }
        switch op {
        case .equal: return try equals(lhs, rhs, state: state)
        case .notEqual: return !(try equals(lhs, rhs, state: state))
        case .less: return try lessThan(lhs, rhs, state: state, op: "<")
        case .greater: return try lessThan(rhs, lhs, state: state, op: ">", swapped: true)
        case .lessOrEqual: return try !lessThan(rhs, lhs, state: state, op: "<=", swapped: true)
        case .greaterOrEqual: return try !lessThan(lhs, rhs, state: state, op: ">=")
        case .in: return try contains(rhs, lhs, state: state)
        case .notIn: return !(try contains(rhs, lhs, state: state))
        }
    }

    private static func compareOrdered<T: Comparable>(_ op: CompareOperator, _ a: T, _ b: T) -> Bool {
        switch op {
        case .equal: return a == b
        case .notEqual: return a != b
        case .less: return a < b
        case .lessOrEqual: return a <= b
        case .greater: return a > b
        case .greaterOrEqual: return a >= b
        case .in, .notIn: return false
        }
    }

    /// Python's `==`; the strict policy raises for an undefined operand.
    static func equals(_ lhs: Value, _ rhs: Value, state: RenderState) throws -> Bool {
        try state.requireDefined(lhs)
        try state.requireDefined(rhs)
        return lhs.pythonEquals(rhs)
    }

    /// Python's `<` (`op` names the operator written, for the message; `swapped` when the
    /// operands were exchanged to express `>` or `<=`).
    static func lessThan(_ lhs: Value, _ rhs: Value, state: RenderState, op: String = "<", swapped: Bool = false) throws -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        case (.float(let a), .float(let b)): return a < b
        case (.string(let a), .string(let b)), (.string(let a), .markup(let b)),
             (.markup(let a), .string(let b)), (.markup(let a), .markup(let b)):
            return a.utf8.lexicographicallyPrecedes(b.utf8)
        case (.list(let a), .list(let b)):
            return try sequenceLess(a.elements, b.elements, state: state, op: op, swapped: swapped)
        case (.tuple(let a), .tuple(let b)):
            return try sequenceLess(a, b, state: state, op: op, swapped: swapped)
        case (.undefined(let u), _), (_, .undefined(let u)):
            throw state.undefinedError(u)
        default:
            if let a = lhs.numericValue, let b = rhs.numericValue {
                if case .int(let x) = a, case .int(let y) = b { return x < y }
                return a.asDouble < b.asDouble
            }
            let (left, right) = swapped ? (rhs, lhs) : (lhs, rhs)
            throw TemplateError(.type, "'\(op)' not supported between instances of '\(left.typeName)' and '\(right.typeName)'")
        }
    }

    private static func sequenceLess(_ a: [Value], _ b: [Value], state: RenderState, op: String, swapped: Bool) throws -> Bool {
        for (x, y) in zip(a, b) where !x.pythonEquals(y) {
            return try lessThan(x, y, state: state, op: op, swapped: swapped)
        }
        return a.count < b.count
    }

    /// Python's `needle in container`.
    static func contains(_ container: Value, _ needle: Value, state: RenderState) throws -> Bool {
        switch container {
        case .string(let s), .markup(let s):
            switch needle {
            case .string(let n), .markup(let n): return s.containsSubstring(n)
            case .undefined(let u): throw state.undefinedError(u)
            default:
                throw TemplateError(.type, "'in <string>' requires string as left operand, not \(needle.typeName)")
            }
        case .list(let l):
            try state.requireDefined(needle)
            return l.elements.contains { $0.pythonEquals(needle) }
        case .tuple(let t):
            try state.requireDefined(needle)
            return t.contains { $0.pythonEquals(needle) }
        case .dict(let d):
            try state.requireDefined(needle)
            return try d.value(forKey: needle) != nil
        case .undefined(let u):
            if state.isStrict(u) { throw state.undefinedError(u) }
            return false
        case .object(let o):
            if let items = try o.iterate(state: state) {
                try state.requireDefined(needle)
                return items.contains { $0.pythonEquals(needle) }
            }
            fallthrough
        default:
            throw TemplateError(.type, "argument of type '\(container.typeName)' is not iterable")
        }
    }
}
