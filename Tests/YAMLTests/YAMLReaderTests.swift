import Documents
import Foundation
import Testing
import YAML

@Suite struct YAMLReaderTests {
    @Test func errorsNameFileLineColumnAndQuoteTheLine() throws {
        let text = "jinja:\n  trim_blocks: false\n  lstrip_blocks: no: yes\n"
        let error = try #require(throws: DocumentError.self) { try YAMLReader.read(text, file: "watch.yaml") }
        #expect(error.file == "watch.yaml")
        #expect(error.mark == Mark(line: 3, column: 20))
        #expect(error.message == "mapping values are not allowed here")
        #expect(error.lineText == "  lstrip_blocks: no: yes")
        #expect(error.description == """
            watch.yaml:3:20: error: mapping values are not allowed here
                  lstrip_blocks: no: yes
                                   ^
            """)
    }

    @Test func aTabInIndentationIsNamed() throws {
        let error = try #require(throws: DocumentError.self) { try YAMLReader.read("a:\n\tb: 1\n", file: "f.yaml") }
        #expect(error.message == "found character '\\t' that cannot start any token")
        #expect(error.mark == Mark(line: 2, column: 1))
        #expect(error.lineText == "\tb: 1")
    }

    @Test func aMissingColonPointsAtTheKeyToo() throws {
        let error = try #require(throws: DocumentError.self) { try YAMLReader.read("a: 1\nb\n", file: "f.yaml") }
        #expect(error.message == "could not find expected ':' (while scanning a simple key at 2:1)")
        #expect(error.mark == Mark(line: 3, column: 1))
    }

    @Test(arguments: [
        ("a: &x 1\nb: *x\n", "anchors and aliases are not supported", Mark(line: 1, column: 4)),
        ("a:\n  <<: {b: 1}\n", "merge keys ('<<') are not supported", Mark(line: 2, column: 3)),
        ("a: !!str 1\n", "tags ('!', '!!str', ...) are not supported", Mark(line: 1, column: 4)),
        ("? a\n: b\n", "complex mapping keys ('? ') are not supported", Mark(line: 1, column: 1)),
        ("%YAML 1.1\n---\na: 1\n", "directives (%YAML, %TAG) are not supported", Mark(line: 1, column: 1)),
        ("a: 1\n---\nb: 2\n", "expected a single document in the stream", Mark(line: 2, column: 1)),
    ])
    func unsupportedFeaturesAreRefusedWhereTheyAre(_ text: String, _ words: String, _ mark: Mark) throws {
        let error = try #require(throws: DocumentError.self) { try YAMLReader.read(text, file: "f.yaml") }
        #expect(error.message.contains(words))
        #expect(error.mark == mark)
    }

    @Test func marksPointAtKeysAndValues() throws {
        let text = "# settings\nwatch:\n  settle_ms: 20\n  ignore: [\"*.tmp\", x]\nlist:\n- a\n- {k: v}\n"
        let document = try YAMLReader.read(text, file: "watch.yaml")
        guard case .object(let members, _) = document, members.count == 2,
              case .object(let watch, let watchMark) = members[0].value else {
            Issue.record("unexpected shape: \(document)")
            return
        }
        #expect(members[0].key.mark == Mark(line: 2, column: 1))
        #expect(watchMark == Mark(line: 3, column: 3))
        #expect(watch[0].key.mark == Mark(line: 3, column: 3))
        #expect(watch[0].value.mark == Mark(line: 3, column: 14))
        #expect(watch[1].value.mark == Mark(line: 4, column: 11))
        guard case .array(let ignore, _) = watch[1].value, case .array(let list, let listMark) = members[1].value else {
            Issue.record("unexpected shape: \(document)")
            return
        }
        #expect(ignore[1].mark == Mark(line: 4, column: 21))
        #expect(listMark == Mark(line: 6, column: 1))
        #expect(list[1].mark == Mark(line: 7, column: 3))
        #expect(list[1]["k"]?.mark == Mark(line: 7, column: 7))
    }

    @Test func timestampsBecomeTheTextPythonPrints() throws {
        let text = "d: 2025-10-01\nt: 2025-10-01T12:00:00\nz: 2001-12-14t21:59:43.10-05:00\nq: '2025-10-01'\n"
        let document = try YAMLReader.read(text, file: "f.yaml")
        #expect(document["d"]?.stringValue == "2025-10-01")
        #expect(document["t"]?.stringValue == "2025-10-01 12:00:00")
        #expect(document["z"]?.stringValue == "2001-12-14 21:59:43.100000-05:00")
        #expect(document["q"]?.stringValue == "2025-10-01")
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deep = String(repeating: "[", count: 100_000)
        let error = try #require(throws: DocumentError.self) { try YAMLReader.read(deep, file: "deep.yaml") }
        #expect(error.message == "nesting deeper than 256 levels")
        var block = ""
        for level in 0..<300 { block += String(repeating: " ", count: level) + "k:\n" }
        let blockError = try #require(throws: DocumentError.self) { try YAMLReader.read(block, file: "deep.yaml") }
        #expect(blockError.message == "nesting deeper than 256 levels")
        #expect(blockError.mark.line == 257)
    }

    @Test func invalidUTF8AndControlCharactersAreRefusedAtTheirPlace() throws {
        let bytes: [UInt8] = Array("a: ok\nb: é".utf8) + [0xFF, 0x0A]
        let error = try #require(throws: DocumentError.self) { try YAMLReader.read(bytes, file: "f.yaml") }
        #expect(error.message.contains("invalid UTF-8: byte 0xFF"))
        #expect(error.mark == Mark(line: 2, column: 5))
        let control = try #require(throws: DocumentError.self) { try YAMLReader.read("a: x\u{7}\n", file: "f.yaml") }
        #expect(control.message == "unacceptable character #x0007: special characters are not allowed")
        #expect(control.mark == Mark(line: 1, column: 5))
    }

    @Test func aByteOrderMarkIsSkippedAndEmptyIsNull() throws {
        let document = try YAMLReader.read(Data([0xEF, 0xBB, 0xBF] + Array("a: 1\n".utf8)), file: "f.yaml")
        guard case .int(1, let mark)? = document["a"] else {
            Issue.record("unexpected: \(document)")
            return
        }
        #expect(mark == Mark(line: 1, column: 4))
        guard case .null = try YAMLReader.read("# only a comment\n", file: "f.yaml") else {
            Issue.record("an empty stream is not null")
            return
        }
    }

    @Test func mutatedInputsNeverCrash() {
        // Every prefix of a realistic file: each must give a value or an error, never a trap.
        let text = """
            a: {x: [1, "two\\n", 'th''ree'], y: |+
              block
            }
            b:
            - >-
              folded
            - ~
            """
        let scalars = Array(text.unicodeScalars)
        for end in 0...scalars.count {
            var prefix = String.UnicodeScalarView()
            prefix.append(contentsOf: scalars[0..<end])
            _ = try? YAMLReader.read(String(prefix), file: "f.yaml")
        }
    }
}
