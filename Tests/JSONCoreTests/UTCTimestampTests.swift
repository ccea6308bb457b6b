import Foundation
import JSONCore
import Testing

/// `UTCTimestamp` against Foundation's calendar, which it replaces on the per-request paths (log lines, SigV4).
@Suite(.timeLimit(.minutes(1)))
struct UTCTimestampTests {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    @Test(arguments: [
        0, 951_782_400, 951_868_799.999, 1_709_164_800.5, 1_714_566_896.789, 4_102_444_799.001, -1, -86_400.25,
        -2_208_988_800, 253_402_300_799,
    ])
    func fieldsMatchFoundation(seconds: Double) {
        let date = Date(timeIntervalSince1970: seconds)
        let expected = Self.utc.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let stamp = UTCTimestamp(date)
        #expect(
            [stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second]
                == [expected.year, expected.month, expected.day, expected.hour, expected.minute, expected.second])
    }

    @Test func formats() {
        let stamp = UTCTimestamp(Date(timeIntervalSince1970: 1_714_566_896.789))
        #expect(stamp.iso8601Milliseconds == "2024-05-01T12:34:56.789Z")
        #expect(stamp.iso8601Basic == "20240501T123456Z")
        #expect(UTCTimestamp(Date(timeIntervalSince1970: 0)).iso8601Milliseconds == "1970-01-01T00:00:00.000Z")
        #expect(UTCTimestamp(Date(timeIntervalSince1970: 951_782_400.007)).iso8601Basic == "20000229T000000Z")
    }
}
