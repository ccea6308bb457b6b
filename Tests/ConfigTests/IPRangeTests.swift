import Testing

@testable import Config

@Suite("IP ranges and the allow list", .timeLimit(.minutes(2)))
struct IPRangeTests {
    @Test func parsesAddressesOfBothFamilies() throws {
        #expect(IPAddress("10.0.0.1")?.description == "10.0.0.1")
        #expect(IPAddress("::ffff:10.0.0.1") == IPAddress("10.0.0.1"))
        #expect(IPAddress("::FFFF:0a00:0001") == IPAddress("10.0.0.1"))
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8:0:0:0:0:0:1")
        #expect(IPAddress("::")?.description == "0:0:0:0:0:0:0:0")
        #expect(IPAddress("::1") == IPAddress(high: 0, low: 1))
        #expect(IPAddress("1::") == IPAddress(high: 0x0001_0000_0000_0000, low: 0))
        #expect(IPAddress("1:2:3:4:5:6:7:8") == IPAddress(high: 0x0001_0002_0003_0004, low: 0x0005_0006_0007_0008))
        #expect(IPAddress("64:ff9b::192.0.2.33") == IPAddress(high: 0x0064_ff9b_0000_0000, low: 0xc000_0221))
    }

    @Test(arguments: [
        "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-1", "1..2.3", " 1.2.3.4", "a.b.c.d",
        ":", ":::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "1::2::3", "12345::", ":1::", "1:", "g::1",
        "::ffff:1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4", "fe80::1%eth0",
    ])
    func rejectsMalformedAddresses(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test func loopbackIsTheWhole127BlockAndColonColonOne() throws {
        for text in ["127.0.0.1", "127.255.0.9", "::ffff:127.0.0.1", "::1"] {
            #expect(try #require(IPAddress(text)).isLoopback, "\(text)")
        }
        for text in ["128.0.0.1", "126.255.255.255", "10.0.0.1", "::", "::2", "1::1", "::ffff:10.0.0.1"] {
            #expect(try !#require(IPAddress(text)).isLoopback, "\(text)")
        }
    }

    @Test func prefixEdgeCases() throws {
        let all4 = try #require(IPRange("0.0.0.0/0"))
        #expect(all4.contains(try #require(IPAddress("255.255.255.255"))))
        #expect(all4.contains(try #require(IPAddress("::ffff:1.2.3.4"))))
        #expect(!all4.contains(try #require(IPAddress("2001:db8::1"))))  // IPv4 /0 is all of IPv4 only

        let all6 = try #require(IPRange("::/0"))
        #expect(all6.contains(try #require(IPAddress("2001:db8::1"))))
        #expect(all6.contains(try #require(IPAddress("10.0.0.1"))))

        let host4 = try #require(IPRange("192.0.2.7/32"))
        #expect(host4.contains(try #require(IPAddress("192.0.2.7"))))
        #expect(!host4.contains(try #require(IPAddress("192.0.2.6"))))
        #expect(IPRange("192.0.2.7") == host4)

        let host6 = try #require(IPRange("2001:db8::7/128"))
        #expect(host6.contains(try #require(IPAddress("2001:db8:0::7"))))
        #expect(!host6.contains(try #require(IPAddress("2001:db8::8"))))

        let odd = try #require(IPRange("10.1.2.3/13"))
        #expect(odd.description == "10.0.0.0/13")
        #expect(odd.contains(try #require(IPAddress("10.7.255.255"))))
        #expect(!odd.contains(try #require(IPAddress("10.8.0.0"))))

        let odd6 = try #require(IPRange("2001:db8:8000::/33"))
        #expect(odd6.contains(try #require(IPAddress("2001:db8:ffff::1"))))
        #expect(!odd6.contains(try #require(IPAddress("2001:db8:7fff::1"))))

        let wide6 = try #require(IPRange("2001:db8::/65"))
        #expect(wide6.contains(try #require(IPAddress("2001:db8::7fff:ffff:ffff:ffff"))))
        #expect(!wide6.contains(try #require(IPAddress("2001:db8::8000:0:0:0"))))
    }

    @Test func mappedAddressesMatchIPv4Ranges() throws {
        let range = try #require(IPRange("10.0.0.0/8"))
        #expect(range.contains(try #require(IPAddress("::ffff:10.0.0.1"))))
        #expect(!range.contains(try #require(IPAddress("::ffff:11.0.0.1"))))
        // A range written in mapped form matches plain IPv4 peers.
        let mapped = try #require(IPRange("::ffff:10.0.0.0/104"))
        #expect(mapped.contains(try #require(IPAddress("10.200.0.1"))))
        #expect(mapped.description == "10.0.0.0/8")
        // 10.0.0.1 is not ::a00:1 (the deprecated IPv4-compatible form).
        #expect(!range.contains(try #require(IPAddress("::10.0.0.1"))))
    }

    @Test(arguments: [
        "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8/8", "/8", "10.0.0.0/ 8",
        "10.0.0.0/1000", "example.com", "10.0.0.0/8x",
    ])
    func rejectsMalformedRanges(text: String) {
        #expect(IPRange(text) == nil)
    }

    @Test func allowListChecksPeers() throws {
        let list = try AllowList.parse(" 10.0.0.0/8, 192.0.2.1 ,2001:db8::/32,, ")
        #expect(list.ranges.count == 3)
        #expect(list.description == "10.0.0.0/8,192.0.2.1/32,2001:db8:0:0:0:0:0:0/32")
        #expect(list.contains(address: "10.9.8.7"))
        #expect(list.contains(address: "::ffff:10.9.8.7"))
        #expect(list.contains(address: "192.0.2.1"))
        #expect(!list.contains(address: "192.0.2.2"))
        #expect(list.contains(address: "[2001:db8::5]"))
        #expect(list.contains(address: "2001:db8::5%eth0"))
        #expect(!list.contains(address: "2001:db9::5"))
        #expect(!list.contains(address: "not-an-address"))
        #expect(!list.contains(address: ""))
    }

    @Test func emptyListAllowsEveryone() throws {
        for text in ["", " ", ",", " , "] {
            let list = try AllowList.parse(text)
            #expect(list.allowsEveryone)
            #expect(list.contains(address: "203.0.113.9"))
            #expect(list.contains(address: "garbage"))
        }
    }

    @Test func allowListNamesEveryBadEntry() {
        #expect(throws: AllowListError(invalidEntries: ["10.0.0.300", "office"])) {
            try AllowList.parse("10.0.0.0/8, 10.0.0.300,office")
        }
        let error = AllowListError(invalidEntries: ["10.0.0.300", "office"])
        #expect(error.description == "not an IP address or CIDR block: \"10.0.0.300\", \"office\"")
    }
}
