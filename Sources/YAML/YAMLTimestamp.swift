/// A YAML 1.1 timestamp as PyYAML's implicit resolver recognises it, and the text that Python's
/// `str()` prints for the `datetime.date` or `datetime.datetime` PyYAML constructs from it.
struct Timestamp {
    var year = 0, month = 0, day = 0
    var time: (hour: Int, minute: Int, second: Int, fraction: String)?
    /// "Z" or a signed offset in hours and minutes.
    var zone: (sign: Int, hours: Int, minutes: Int)?

    /// Matches `[0-9]{4}-[0-9]{2}-[0-9]{2}` or
    /// `[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?`.
    init?(_ s: [UInt8]) {
        var i = 0
        func digits(_ least: Int, _ most: Int) -> Int? {
            var value = 0
            var count = 0
            while count < most, i < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") {
                value = value * 10 + Int(s[i] - UInt8(ascii: "0"))
                i += 1
                count += 1
            }
            return count >= least ? value : nil
        }
        func literal(_ c: Character) -> Bool {
            guard i < s.count, let ascii = c.asciiValue, s[i] == ascii else { return false }
            i += 1
            return true
        }
        guard let year = digits(4, 4), literal("-") else { return nil }
        let monthStart = i
        guard let month = digits(1, 2), literal("-") else { return nil }
        let dayStart = i
        guard let day = digits(1, 2) else { return nil }
        (self.year, self.month, self.day) = (year, month, day)
        if i == s.count {
            // A date alone needs two-digit month and day.
            guard dayStart - monthStart == 3, i - dayStart == 2 else { return nil }
            return
        }
        if s[i] == UInt8(ascii: "T") || s[i] == UInt8(ascii: "t") {
            i += 1
        } else {
            let spaces = i
            while i < s.count, s[i] == 0x20 || s[i] == 0x09 { i += 1 }
            guard i > spaces else { return nil }
        }
        guard let hour = digits(1, 2), literal(":"), let minute = digits(2, 2), literal(":"),
              let second = digits(2, 2) else { return nil }
        var fraction = ""
        if literal(".") {
            while i < s.count, s[i] >= UInt8(ascii: "0"), s[i] <= UInt8(ascii: "9") {
                fraction.append(Character(Unicode.Scalar(s[i])))
                i += 1
            }
        }
        time = (hour, minute, second, fraction)
        if i == s.count { return }
        while i < s.count, s[i] == 0x20 || s[i] == 0x09 { i += 1 }
        if literal("Z") {
            zone = (1, 0, 0)
        } else if i < s.count, s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+") {
            let sign = s[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hours = digits(1, 2) else { return nil }
            var minutes = 0
            if literal(":") {
                guard let value = digits(2, 2) else { return nil }
                minutes = value
            }
            zone = (sign, hours, minutes)
        } else {
            return nil
        }
        guard i == s.count else { return nil }
    }

    /// `str(date)` or `str(datetime)`; Python's range checks become errors.
    func pythonText() throws(YAMLScalars.Failure) -> String {
        guard (1...9999).contains(year) else { throw YAMLScalars.Failure(message: "year \(year) is out of range") }
        guard (1...12).contains(month) else { throw YAMLScalars.Failure(message: "month must be in 1..12") }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard day >= 1, day <= lengths[month - 1] else { throw YAMLScalars.Failure(message: "day is out of range for month") }
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        guard let time else { return text }
        guard (0...23).contains(time.hour) else { throw YAMLScalars.Failure(message: "hour must be in 0..23") }
        guard (0...59).contains(time.minute) else { throw YAMLScalars.Failure(message: "minute must be in 0..59") }
        guard (0...59).contains(time.second) else { throw YAMLScalars.Failure(message: "second must be in 0..59") }
        text += " " + pad(time.hour, 2) + ":" + pad(time.minute, 2) + ":" + pad(time.second, 2)
        let micro = String((time.fraction + "000000").prefix(6))
        if micro != "000000" { text += "." + micro }
        if let zone {
            let total = zone.hours * 60 + zone.minutes
            guard total < 24 * 60 else {
                throw YAMLScalars.Failure(
                    message: "offset must be a timedelta strictly between -timedelta(hours=24) and timedelta(hours=24)")
            }
            text += (zone.sign < 0 && total > 0 ? "-" : "+") + pad(total / 60, 2) + ":" + pad(total % 60, 2)
        }
        return text
    }

    private func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
