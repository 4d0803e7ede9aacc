import TaggedFixtures
import Documents
import Foundation
import Testing
import YAML

/// One input of Fixtures/cases and what PyYAML 6.0.3's safe_load made of it (Fixtures/expected.json,
/// written by Fixtures/make_fixtures.py).
struct YAMLCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    var expectation: Expectation

    enum Expectation: Sendable {
        /// PyYAML's value, as tagged JSON text.
        case value(String)
        /// PyYAML's error; no line for a ValueError raised by a constructor (an impossible date).
        case error(message: String, line: Int?, column: Int?)
        /// Accepted by PyYAML, refused by Regen with an error containing these words.
        case refused(String)
    }

    var testDescription: String { name }

    static func all() throws -> [YAMLCase] {
        guard let fixtures = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            throw Tagged.Malformed(description: "no Fixtures folder in the test bundle")
        }
        let data = try Data(contentsOf: fixtures.appendingPathComponent("expected.json"))
        guard let table = try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]] else {
            throw Tagged.Malformed(description: "expected.json is not an object of objects")
        }
        return try table.keys.sorted().map { name in
            let entry = table[name] ?? [:]
            let input = try [UInt8](Data(contentsOf: fixtures.appendingPathComponent("cases/\(name).yaml")))
            let expectation: Expectation
            if let value = entry["value"] {
                let text = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed])
                expectation = .value(String(decoding: text, as: UTF8.self))
            } else if let error = entry["error"] as? [String: Any] {
                expectation = .error(
                    message: error["message"] as? String ?? "", line: error["line"] as? Int, column: error["column"] as? Int)
            } else if let words = entry["refused"] as? String {
                expectation = .refused(words)
            } else {
                throw Tagged.Malformed(description: "\(name): no value, error or refused")
            }
            return YAMLCase(name: name, input: input, expectation: expectation)
        }
    }
}

/// Cases where Regen's message differs from PyYAML's on purpose, with the words Regen's holds.
private let ownMessages: [String: String] = [
    // PyYAML's composer says `expected a single document in the stream` at the first document,
    // then `but found another document` at the second; Regen says both at the second.
    "err-two-documents": "expected a single document in the stream",
    "err-two-explicit-documents": "expected a single document in the stream",
    // Python's UnicodeDecodeError words, Regen's own.
    "err-invalid-utf8": "invalid UTF-8: byte 0xFF",
    "err-invalid-utf8-later": "invalid UTF-8: byte 0xC3",
    // PyYAML fails at construction (no constructor for the tag); Regen refuses tags while reading.
    "err-tag-local": "tags ('!', '!!str', ...) are not supported",
    // Python's ValueError from chr(); Regen names the escape.
    "err-escape-out-of-range": "is not a Unicode character",
    // Python's message goes on with the timedelta's repr.
    "err-bad-offset": "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)",
]

@Suite struct YAMLConformanceTests {
    @Test func theFixturesCoverEnough() throws {
        let cases = try YAMLCase.all()
        let accepted = cases.filter { if case .value = $0.expectation { return true } else { return false } }
        let rejected = cases.filter { if case .error = $0.expectation { return true } else { return false } }
        let refused = cases.filter { if case .refused = $0.expectation { return true } else { return false } }
        #expect(accepted.count >= 120)
        #expect(rejected.count >= 30)
        #expect(refused.count >= 10)
    }

    @Test(arguments: try YAMLCase.all())
    func agreesWithPyYAML(_ testCase: YAMLCase) throws {
        let result = Result { () throws(DocumentError) in try YAMLReader.read(testCase.input, file: "case.yaml") }
        switch testCase.expectation {
        case .value(let json):
            let document = try result.get()
            #expect(Tagged(document) == (try Tagged(json: json)))
        case .error(let message, let line, let column):
            guard case .failure(let error) = result else {
                Issue.record("accepted what PyYAML rejects with \(message)")
                return
            }
            let words = ownMessages[testCase.name] ?? message
            #expect(error.message.contains(words), "\(error)")
            if let line { #expect(error.mark.line == line, "\(error)") }
            if let column, ownMessages[testCase.name] == nil { #expect(error.mark.column == column, "\(error)") }
        case .refused(let words):
            guard case .failure(let error) = result else {
                Issue.record("accepted what Regen refuses on purpose: \(words)")
                return
            }
            #expect(error.message.contains(words), "\(error)")
        }
    }
}
