import Foundation
import Testing
import ZoneCastCore

@Suite struct HexTextTests {
    @Test func givenEveryByteValueWhenWrittenThenTheTextIsPrintfsTwoLowerCaseDigits() async {
        let all = (0...255).map(UInt8.init)
        #expect(all.hexText == all.map { String(format: "%02x", $0) }.joined())
        #expect([UInt8]().hexText == "")
        #expect([0x00, 0x0f, 0xa0, 0xff].hexText == "000fa0ff")
    }
}
