import Foundation
import JSONCore
import Testing

/// `trimmingWhitespace` removes exactly what Foundation's `.whitespaces` trimming removes.
@Suite(.timeLimit(.minutes(1)))
struct WhitespaceTests {
    @Test(arguments: [
        "", " ", "\t \t", "1714566896", " 1714566896\t", "\u{00A0}12\u{2003}", "a b", " \n1\n ", "x-amz-date ",
        "\u{3000}é\u{301}\u{3000}",
    ])
    func matchesFoundation(text: String) {
        #expect(String(text.trimmingWhitespace) == text.trimmingCharacters(in: .whitespaces))
    }
}
