import TaggedFixtures
import Documents
import Foundation
import Testing

/// One input and what Python's json module makes of it (see JSONCases.swift).
struct JSONCase: Sendable, CustomTestStringConvertible {
    var name: String
    var input: [UInt8]
    /// Tagged JSON: `{"value": tagged}` or `{"error": {"message", "line", "column"}}`; for a case
    /// refused on purpose, the words our error must contain.
    var expected: String

    init(_ name: String, _ input: [UInt8], _ expected: String) {
        self.name = name
        self.input = input
        self.expected = expected
    }

    var testDescription: String { name }
}

@Suite struct JSONReaderConformanceTests {
    @Test(arguments: jsonCases)
    func agreesWithPython(_ testCase: JSONCase) throws {
        let expected = try #require(
            JSONSerialization.jsonObject(with: Data(testCase.expected.utf8)) as? [String: Any])
        let result = Result { () throws(DocumentError) in try JSONReader.read(testCase.input, file: "case.json") }
        if let value = expected["value"] {
            let document = try result.get()
            #expect(Tagged(document) == (try Tagged(any: value)))
        } else {
            let error = try #require(expected["error"] as? [String: Any])
            guard case .failure(let failure) = result else {
                Issue.record("accepted what Python refuses: \(error)")
                return
            }
            let message = try #require(error["message"] as? String)
            #expect(failure.message.hasPrefix(message), "\(failure)")
            #expect(failure.mark.line == error["line"] as? Int, "\(failure)")
            #expect(failure.mark.column == error["column"] as? Int, "\(failure)")
        }
    }

    @Test(arguments: refusedJSONCases)
    func refusesWhatPythonAcceptsWithAClearError(_ testCase: JSONCase) {
        #expect {
            try JSONReader.read(testCase.input, file: "case.json")
        } throws: { error in
            (error as? DocumentError)?.message.contains(testCase.expected) == true
        }
    }
}

@Suite struct JSONReaderTests {
    @Test func errorsNameFileLineColumnAndQuoteTheLine() throws {
        let text = "{\n  \"name\": \"x\",\n  \"count\": 3 4\n}\n"
        let error = try #require(throws: DocumentError.self) { try JSONReader.read(text, file: "ctx.json") }
        #expect(error.file == "ctx.json")
        #expect(error.mark == Mark(line: 3, column: 14))
        #expect(error.message == "Expecting ',' delimiter")
        #expect(error.lineText == "  \"count\": 3 4")
        #expect(error.description == """
            ctx.json:3:14: error: Expecting ',' delimiter
                  "count": 3 4
                             ^
            """)
    }

    @Test func columnsCountCodePointsNotBytes() throws {
        let error = try #require(throws: DocumentError.self) {
            try JSONReader.read("{\"clé\": \"日本\", x}", file: "f.json")
        }
        #expect(error.mark == Mark(line: 1, column: 15))
        #expect(error.message == "Expecting property name enclosed in double quotes")
    }

    @Test func invalidUTF8IsRefusedAtItsPlace() throws {
        let error = try #require(throws: DocumentError.self) {
            try JSONReader.read([0x5B, 0x0A, 0x22, 0xC3, 0xA9, 0xFF, 0x22, 0x5D], file: "f.json")
        }
        #expect(error.mark == Mark(line: 2, column: 3))
        #expect(error.message.contains("invalid UTF-8"))
        #expect(error.message.contains("0xFF"))
    }

    @Test func marksPointAtEachValue() throws {
        let document = try JSONReader.read("{\n  \"a\": [1,\n    \"é\", {\"b\": null}]\n}", file: "f.json")
        #expect(document.mark == Mark(line: 1, column: 1))
        guard case .object(let members, _) = document, let member = members.first,
              case .array(let items, let arrayMark) = member.value, items.count == 3 else {
            Issue.record("unexpected shape: \(document)")
            return
        }
        #expect(member.key.mark == Mark(line: 2, column: 3))
        #expect(arrayMark == Mark(line: 2, column: 8))
        #expect(items[0].mark == Mark(line: 2, column: 9))
        #expect(items[1].mark == Mark(line: 3, column: 5))
        #expect(items[2].mark == Mark(line: 3, column: 10))
        #expect(items[2]["b"]?.mark == Mark(line: 3, column: 16))
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = try #require(throws: DocumentError.self) { try JSONReader.read(deep, file: "deep.json") }
        #expect(error.message.contains("nesting deeper than 512"))
        #expect(error.mark == Mark(line: 1, column: 513))
        #expect(error.lineText == nil, "a line this long is not quoted")
        let fine = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONReader.read(fine, file: "ok.json")
    }

    @Test func readsDataAndStringAlike() throws {
        let text = "{\"b\": [1, 2.0], \"a\": \"x\"}"
        let fromData = try JSONReader.read(Data(text.utf8), file: "f.json")
        let fromString = try JSONReader.read(text, file: "f.json")
        #expect(Tagged(fromData) == Tagged(fromString))
        #expect(Tagged(fromData) == .map([
            .init(key: .string("b"), value: .list([.int(1), .float(2.0)])),
            .init(key: .string("a"), value: .string("x")),
        ]))
    }

    @Test func aLargeFileReadsQuickly() throws {
        var text = "["
        let record = #"{"id": 123456, "name": "endpoint-users", "score": 12.5, "tags": ["a", "bé", "c"], "ok": true, "none": null}"#
        for index in 0..<40_000 {
            if index > 0 { text += ",\n" }
            text += record
        }
        text += "]"
        let bytes = Array(text.utf8)  // about 4.5 MB
        let clock = ContinuousClock()
        let start = clock.now
        let document = try JSONReader.read(bytes, file: "big.json")
        let elapsed = clock.now - start
        guard case .array(let items, _) = document else {
            Issue.record("not an array")
            return
        }
        #expect(items.count == 40_000)
        #expect(items[39_999]["tags"]?.mark == Mark(line: 40_000, column: 65))
        #expect(elapsed < .seconds(10), "took \(elapsed) for \(bytes.count) bytes (debug build)")
    }
}
