import Documents
import Jinja

extension Document {
    /// Compact JSON in document order, as Python's `json.dumps(..., ensure_ascii=False)` writes
    /// it: floats as Python prints them, non-string keys as their JSON text (`1`, `true`, `null`).
    var jsonText: String {
        var output = ""
        writeJSON(to: &output)
        return output
    }

    func writeJSON(to output: inout String) {
        switch self {
        case .null: output += "null"
        case .bool(let b, _): output += b ? "true" : "false"
        case .int(let i, _): output += String(i)
        case .float(let d, _):
            if d.isNaN { output += "NaN" } else if d.isInfinite { output += d < 0 ? "-Infinity" : "Infinity" } else {
                output += Value.formatFloat(d)
            }
        case .string(let s, _): Self.writeJSONString(s, to: &output)
        case .array(let items, _):
            output += "["
            for (index, item) in items.enumerated() {
                if index > 0 { output += ", " }
                item.writeJSON(to: &output)
            }
            output += "]"
        case .object(let members, _):
            output += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { output += ", " }
                if case .string(let key, _) = member.key {
                    Self.writeJSONString(key, to: &output)
                } else {
                    Self.writeJSONString(member.key.jsonText, to: &output)
                }
                output += ": "
                member.value.writeJSON(to: &output)
            }
            output += "}"
        }
    }

    static func writeJSONString(_ text: String, to output: inout String) {
        output += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        output += "\""
    }
}
