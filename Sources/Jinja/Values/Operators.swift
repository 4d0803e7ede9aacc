/// Python's arithmetic, comparison and membership on template values. (Placeholder.)
enum Operators {
    static func binary(_ op: BinaryOperator, _ lhs: Value, _ rhs: Value, state: RenderState) throws -> Value {
        switch (op, lhs, rhs) {
        case (.add, .int(let a), .int(let b)): return .int(a + b)
        case (.add, .string(let a), .string(let b)): return .string(a + b)
        default: throw TemplateError(.type, "unsupported operand type(s) for \(op.rawValue): '\(lhs.typeName)' and '\(rhs.typeName)'")
        }
    }

    static func unary(_ op: UnaryOperator, _ value: Value, state: RenderState) throws -> Value {
        switch (op, value) {
        case (.not, _): return .bool(!(try state.truthy(value)))
        case (.negate, .int(let i)): return .int(-i)
        case (.negate, .float(let d)): return .float(-d)
        default: return value
        }
    }

    static func compare(_ op: CompareOperator, _ lhs: Value, _ rhs: Value, state: RenderState) throws -> Bool {
        switch op {
        case .equal: return lhs.pythonEquals(rhs)
        case .notEqual: return !lhs.pythonEquals(rhs)
        default: throw TemplateError(.type, "comparison \(op.rawValue) not implemented")
        }
    }
}
