import Foundation
import Testing

@testable import KubeModel

@Suite("JSONValue parsing and serialization")
struct JSONValueTests {
    private func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        try JSONValue(parsing: text)
    }

    private func parseError(_ text: String) -> String? {
        do {
            _ = try JSONValue(parsing: text)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("parse → serialize gives compact JSON with sorted keys", arguments: [
        (#"{"b":1,"a":[true,false,null],"c":{"z":"x","y":-2.5}}"#, #"{"a":[true,false,null],"b":1,"c":{"y":-2.5,"z":"x"}}"#),
        (" [ 1 , 2 ,\n\t3 ] ", "[1,2,3]"),
        (#""a\"b\\c\/d\n\r\t\b\f""#, #""a\"b\\c/d\n\r\t\u0008\u000c""#),
        ("{}", "{}"),
        ("[]", "[]"),
        ("0", "0"),
        ("-0.5", "-0.5"),
    ])
    func serializes(input: String, expected: String) throws {
        let value = try parse(input)
        #expect(value.serializedString() == expected)
        #expect(try parse(value.serializedString()) == value)
    }

    @Test func integersAndFloatsStayApart() throws {
        #expect(try parse("1") == .int(1))
        #expect(try parse("-42") == .int(-42))
        #expect(try parse("1.0") == .double(1.0))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("2.5E-3") == .double(0.0025))
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("-9223372036854775808") == .int(Int64.min))
        // Beyond Int64: a double, as Go's float64 would hold it.
        #expect(try parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try parse("1.0").typeName == "number")
        #expect(try parse("1").typeName == "integer")
        #expect(JSONValue.double(1.0).intValue == 1)
        #expect(JSONValue.double(1.5).intValue == nil)
        #expect(JSONValue.int(3).doubleValue == 3)
        // Integral doubles serialize without ".0" (as Go does), so they read back as integers.
        #expect(JSONValue.double(7).serializedString() == "7")
        #expect(JSONValue.double(0.1).serializedString() == "0.1")
    }

    @Test func unicodeEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""\u00e9""#) == "é")
        #expect(try parse(#""\u00E9t\u00e9""#) == "été")
        #expect(try parse(#""\ud83d\ude00""#) == "😀")
        #expect(try parse(#""\uD83D\uDE00!""#) == "😀!")
        // Lone or reversed surrogates become U+FFFD, like Go.
        #expect(try parse(#""\ud83d""#) == "\u{FFFD}")
        #expect(try parse(#""\ude00\ud83d""#) == "\u{FFFD}\u{FFFD}")
        #expect(try parse(#""\ud83dx""#) == "\u{FFFD}x")
        #expect(try parse(#""\ud83d\u0041""#) == "\u{FFFD}A")
        // Raw UTF-8 passes through untouched.
        #expect(try parse("\"日本語 ✓\"") == "日本語 ✓")
        #expect(JSONValue.string("é😀").serializedString() == "\"é😀\"")
        #expect(JSONValue.string("\u{01}").serializedString() == #""\u0001""#)
        // Escapes between, before and after runs of plain bytes, which are copied whole.
        #expect(JSONValue.string("\"a\\b\nc\td\r\u{1F}é\"").serializedString() == #""\"a\\b\nc\td\r\u001fé\"""#)
        #expect(JSONValue.string("").serializedString() == #""""#)
        let long = String(repeating: "plain ", count: 200) + "\n" + String(repeating: "x", count: 100)
        #expect(try parse(JSONValue.string(long).serializedString()) == .string(long))
    }

    @Test("malformed input gives Go's encoding/json messages", arguments: [
        (#"{"a":}"#, "invalid character '}' looking for beginning of value"),
        (#"{"a":1"#, "unexpected end of JSON input"),
        (#"{"a""#, "unexpected end of JSON input"),
        (#"[1,2"#, "unexpected end of JSON input"),
        (#""abc"#, "unexpected end of JSON input"),
        ("", "unexpected end of JSON input"),
        ("   ", "unexpected end of JSON input"),
        ("tru", "unexpected end of JSON input"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        (#"{"a":1,}"#, "invalid character '}' looking for beginning of object key string"),
        (#"{"a" 1}"#, "invalid character '1' after object key"),
        (#"{"a":1 "b":2}"#, "invalid character '\"' after object key:value pair"),
        ("[1 2]", "invalid character '2' after array element"),
        ("{} x", "invalid character 'x' after top-level value"),
        ("01", "invalid character '1' after top-level value"),
        ("nul!", "invalid character '!' in literal null (expecting 'l')"),
        ("-x", "invalid character 'x' in numeric literal"),
        ("1.x", "invalid character 'x' after decimal point in numeric literal"),
        ("1ex", "invalid character 'x' in exponent of numeric literal"),
        (#""\x""#, "invalid character 'x' in string escape code"),
        (#""\u12g4""#, "invalid character 'g' in \\u hexadecimal character escape"),
        ("\"a\nb\"", "invalid character '\\n' in string literal"),
        ("\"a\u{01}\"", "invalid character '\\x01' in string literal"),
        ("'a'", "invalid character '\\'' looking for beginning of value"),
        ("[é]", "invalid character 'Ã' looking for beginning of value"),
    ])
    func goStyleErrors(input: String, message: String) {
        #expect(parseError(input) == message)
    }

    @Test func errorsCarryTheOffset() {
        do {
            _ = try JSONValue(parsing: #"{"a":}"#)
            Issue.record("expected an error")
        } catch {
            #expect(error.offset == 5)
            #expect(error.description == error.message)
        }
    }

    @Test func nestingDepthLimitIsAnErrorNotACrash() throws {
        let limit = JSONValue.maximumNestingDepth
        let atLimit = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        #expect(parseError(atLimit) == nil)
        for depth in [limit + 1, 100_000] {
            let deep = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            #expect(parseError(deep)?.contains("exceeded max depth") == true)
            let deepObjects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            #expect(parseError(deepObjects)?.contains("exceeded max depth") == true)
        }
    }

    @Test func subscriptsReadAndWrite() throws {
        var value = try parse(#"{"metadata":{"name":"w1","labels":{"app":"demo"}}}"#)
        #expect(value["metadata"]?["name"] == "w1")
        #expect(value[path: ["metadata", "labels", "app"]] == "demo")
        #expect(value[path: ["metadata", "missing", "x"]] == nil)
        value[path: ["metadata", "labels", "tier"]] = "gold"
        value[path: ["spec", "size"]] = 3
        value["metadata"]?["name"] = nil
        #expect(value.serializedString() == #"{"metadata":{"labels":{"app":"demo","tier":"gold"}},"spec":{"size":3}}"#)
        #expect(JSONValue.array([1]).objectValue == nil)
        #expect(JSONValue.string("x")["key"] == nil)
    }

    @Test func codableBridgeKeepsIntegers() throws {
        struct Sample: Codable, Equatable {
            var count: Int
            var ratio: Double
            var tags: [String]
            var extra: JSONValue
        }
        let sample = Sample(count: 3, ratio: 0.25, tags: ["a"], extra: ["n": 1, "b": true, "s": nil])
        let json = try JSONValue(encoding: sample)
        #expect(json == ["count": 3, "ratio": 0.25, "tags": ["a"], "extra": ["n": 1, "b": true, "s": nil]])
        #expect(try json.decode(as: Sample.self) == sample)
        // A JSONValue decoded through Foundation keeps bool, int and null apart.
        let decoded = try JSONValue.array([true, 0, 1, nil, "1", 2.5]).decode(as: JSONValue.self)
        #expect(decoded == [true, 0, 1, nil, "1", 2.5])
    }
}
