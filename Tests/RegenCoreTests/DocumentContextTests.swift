import Documents
import Testing
@testable import RegenCore

@Suite struct DocumentContextTests {
    func json(_ text: String) throws -> Document { try JSONReader.read(text, file: "t.json") }

    @Test func jsonKeepsFileOrderAndPythonsNumbers() throws {
        let document = try json("{\"z\": 1, \"a\": [1.0, 1e16, 0.1, -0.0, true, null], \"s\": \"q\\\"\\\\\\n\\u0001é\"}")
        #expect(document.jsonText == "{\"z\": 1, \"a\": [1.0, 1e+16, 0.1, -0.0, true, null], \"s\": \"q\\\"\\\\\\n\\u0001é\"}")
    }

    @Test func nonStringKeysBecomeTheirJSONText() {
        let m = Mark(line: 1, column: 1)
        let document = Document.object([.init(key: .int(1, m), value: .bool(true, m)),
                                        .init(key: .null(m), value: .int(2, m))], m)
        #expect(document.jsonText == "{\"1\": true, \"null\": 2}")
    }

    @Test func mergingIsDeepForMappingsAndReplacesTheRest() throws {
        let base = try json("{\"a\": 1, \"team\": {\"name\": \"?\", \"lead\": \"G\"}, \"list\": [1, 2]}")
        let overlay = try json("{\"team\": {\"name\": \"Eng\"}, \"list\": [3], \"b\": 2}")
        #expect(base.merged(with: overlay).jsonText
                == "{\"a\": 1, \"team\": {\"name\": \"Eng\", \"lead\": \"G\"}, \"list\": [3], \"b\": 2}")
    }

    @Test func dottedLookupWalksMappingsAndLists() throws {
        let document = try json("{\"spec\": {\"items\": [{\"name\": \"x\"}]}}")
        #expect(document.lookup("spec.items.0.name")?.stringValue == "x")
        #expect(document.lookup("spec.items.1.name") == nil)
        #expect(document.lookup("spec.missing") == nil)
    }
}
