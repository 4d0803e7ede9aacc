@testable import Jinja
import Testing

/// Operator behaviour that the generated Jinja2 cases cannot express: our documented
/// deviations, and properties that hold for whole ranges of values.
@Suite struct OperatorsTests {
    let h = Harness()

    @Test func integerOverflowIsAnErrorNotAWrongAnswer() {
        // Python has unbounded ints; 64-bit overflow raises instead of wrapping.
        for (op, a, b) in [(BinaryOperator.add, Int.max, 1), (.subtract, Int.min, 1), (.multiply, Int.max, 2),
                           (.power, 2, 63), (.floorDivide, Int.min, -1)] {
            #expect(throws: TemplateError.self) { try Operators.binary(op, .int(a), .int(b), state: h.state) }
        }
        #expect(Harness.describe { try Operators.binary(.power, .int(2), .int(62), state: h.state) } == "4611686018427387904")
    }

    @Test(arguments: -7...7, [-3, -2, -1, 1, 2, 3])
    func floorDivisionAndModuloAgree(_ a: Int, _ b: Int) throws {
        // Python's invariant: (a // b) * b + a % b == a, and a % b has the sign of b.
        guard case .int(let q) = try Operators.binary(.floorDivide, .int(a), .int(b), state: h.state),
              case .int(let r) = try Operators.binary(.modulo, .int(a), .int(b), state: h.state) else {
            Issue.record("not ints")
            return
        }
        #expect(q * b + r == a)
        #expect(r == 0 || (r < 0) == (b < 0))
    }

    @Test func stringsCompareByCodePoint() throws {
        // Swift's String `<` and `==` use canonical equivalence; Python does not.
        #expect(try !Operators.compare(.equal, .string("\u{e9}"), .string("e\u{301}"), state: h.state))
        #expect(try Operators.compare(.less, .string("Z"), .string("a"), state: h.state))
        #expect(try Operators.compare(.greater, .string("\u{e9}"), .string("z"), state: h.state))
    }

    @Test func markupConcatenationEscapesThePlainSide() throws {
        let left = try Operators.binary(.add, .markup("<b>"), .string("<i>"), state: h.state)
        let right = try Operators.binary(.add, .string("<i>"), .markup("<b>"), state: h.state)
        #expect(left.pythonRepr == "Markup('<b>&lt;i&gt;')")
        #expect(right.pythonRepr == "Markup('&lt;i&gt;<b>')")
    }

    @Test func repetitionIsBoundedByTheOutputLimit() {
        #expect(throws: TemplateError.self) {
            try Operators.binary(.multiply, .string("abc"), .int(Int.max / 2), state: h.state)
        }
    }

    @Test func undefinedOperandsRaiseUnderBothPolicies() throws {
        let lenient = Harness(strict: false)
        let x = Value.undefined(Undefined(name: "x"))
        for state in [h.state, lenient.state] {
            #expect(throws: TemplateError.self) { try Operators.binary(.add, x, .int(1), state: state) }
            #expect(throws: TemplateError.self) { try Operators.unary(.negate, x, state: state) }
            #expect(throws: TemplateError.self) { try Operators.compare(.less, x, .int(1), state: state) }
        }
        #expect(throws: TemplateError.self) { try Operators.compare(.equal, x, .int(1), state: h.state) }
        #expect(try !Operators.compare(.equal, x, .int(1), state: lenient.state))
    }
}
