import Foundation
import Testing
@testable import KubeModel

/// `JSONValue.decode(as:)` reads the tree directly; it must agree with `JSONDecoder` on what it
/// accepts and refuse what `JSONDecoder` refuses, naming the path.
@Suite("Decoding typed values from a JSONValue tree")
struct JSONValueDecoderTests {
    struct Sample: Codable, Equatable {
        var name: String
        var count: Int32
        var ratio: Double
        var flag: Bool?
        var blob: Data?
        var tags: [String]
        var extra: JSONValue?
        var nested: [String: [Int]]?
    }

    static let text = #"{"name":"a","count":3,"ratio":1,"flag":null,"blob":"aGVsbG8=","tags":["x","y"],"extra":{"k":[1,2.5,"s",null,true]},"nested":{"n":[1,2]}}"#

    @Test("decodes as JSONDecoder does: integers as doubles, base64 Data, null as absent, JSONValue kept whole")
    func agreesWithJSONDecoder() throws {
        let tree = try JSONValue(parsing: Array(Self.text.utf8))
        let ours = try tree.decode(as: Sample.self)
        let foundation = try JSONDecoder().decode(Sample.self, from: Data(Self.text.utf8))
        #expect(ours == foundation)
        #expect(ours.blob == Data("hello".utf8))
        #expect(ours.extra == ["k": [1, 2.5, "s", nil, true]])
        #expect(ours.flag == nil)
    }

    @Test("a wrong type names the path")
    func typeMismatchNamesPath() throws {
        let tree: JSONValue = ["name": "a", "count": 3, "ratio": 1, "tags": ["x", 7]]
        do {
            _ = try tree.decode(as: Sample.self)
            Issue.record("decoded a number as a String")
        } catch DecodingError.typeMismatch(let type, let context) {
            #expect(type is String.Type)
            #expect(context.codingPath.map(\.stringValue) == ["tags", "Index 1"])
            #expect(context.debugDescription == "Expected to decode String but found number instead.")
        }
    }

    @Test("a missing key and an out-of-range integer are errors")
    func missingAndOverflow() throws {
        #expect(throws: DecodingError.self) { _ = try (["name": "a"] as JSONValue).decode(as: Sample.self) }
        let big: JSONValue = ["name": "a", "count": .int(Int64(Int32.max) + 1), "ratio": 1, "tags": []]
        #expect(throws: DecodingError.self) { _ = try big.decode(as: Sample.self) }
        let fraction: JSONValue = ["name": "a", "count": 1.5, "ratio": 1, "tags": []]
        #expect(throws: DecodingError.self) { _ = try fraction.decode(as: Sample.self) }
    }

    @Test("ObjectMeta with managedFields decodes from the tree")
    func objectMeta() throws {
        let tree: JSONValue = [
            "name": "x", "namespace": "ns", "labels": ["a": "b"],
            "managedFields": [["manager": "kubectl", "operation": "Update", "fieldsType": "FieldsV1", "fieldsV1": ["f:data": [:]]]],
        ]
        let meta = try tree.decode(as: ObjectMeta.self)
        #expect(meta.name == "x" && meta.labels == ["a": "b"])
        #expect(meta.managedFields?.first?.manager == "kubectl")
    }
}
