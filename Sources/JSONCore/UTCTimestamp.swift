import Foundation

/// A moment as UTC calendar fields, computed with integer arithmetic.
///
/// Log lines and AWS request signatures each need a UTC timestamp per request; Foundation's `Calendar` and
/// `ISO8601FormatStyle` cost a time-zone lookup and a formatter per call, which showed in the receiver's profile.
/// Proleptic Gregorian calendar, as ISO 8601 and AWS use; the instant is truncated to the millisecond.
public struct UTCTimestamp: Sendable, Equatable {
    public let year: Int
    public let month: Int
    public let day: Int
    public let hour: Int
    public let minute: Int
    public let second: Int
    public let millisecond: Int

    public init(_ date: Date) {
        // Rounded to the microsecond first, so that 12.789 s (stored as 12.78899…) still shows .789.
        let (milliseconds, _) = Self.floorDivide(Int((date.timeIntervalSince1970 * 1_000_000).rounded()), 1000)
        let (days, msOfDay) = Self.floorDivide(milliseconds, 86_400_000)
        // Howard Hinnant's days-from-civil inverse (public domain algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        day = dayOfYear - (153 * shiftedMonth + 2) / 5 + 1
        month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9
        year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        hour = msOfDay / 3_600_000
        minute = msOfDay / 60_000 % 60
        second = msOfDay / 1000 % 60
        millisecond = msOfDay % 1000
    }

    /// `2024-05-01T12:34:56.789Z`
    public var iso8601Milliseconds: String {
        var text = ""
        text.reserveCapacity(24)
        Self.append(year, 4, to: &text)
        text += "-"
        Self.append(month, 2, to: &text)
        text += "-"
        Self.append(day, 2, to: &text)
        text += "T"
        appendClock(to: &text, separator: ":")
        text += "."
        Self.append(millisecond, 3, to: &text)
        text += "Z"
        return text
    }

    /// `20240501T123456Z`: the ISO 8601 basic form AWS Signature V4 uses.
    public var iso8601Basic: String {
        var text = ""
        text.reserveCapacity(16)
        Self.append(year, 4, to: &text)
        Self.append(month, 2, to: &text)
        Self.append(day, 2, to: &text)
        text += "T"
        appendClock(to: &text, separator: "")
        text += "Z"
        return text
    }

    private func appendClock(to text: inout String, separator: String) {
        Self.append(hour, 2, to: &text)
        text += separator
        Self.append(minute, 2, to: &text)
        text += separator
        Self.append(second, 2, to: &text)
    }

    private static func append(_ value: Int, _ width: Int, to text: inout String) {
        let digits = String(value)
        if digits.utf8.count < width { text += String(repeating: "0", count: width - digits.utf8.count) }
        text += digits
    }

    private static func floorDivide(_ value: Int, _ divisor: Int) -> (Int, Int) {
        let remainder = value % divisor
        return remainder < 0 ? (value / divisor - 1, remainder + divisor) : (value / divisor, remainder)
    }
}
