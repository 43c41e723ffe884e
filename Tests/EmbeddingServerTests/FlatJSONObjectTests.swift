import Foundation
import Testing
@testable import EmbeddingServer

@Suite struct FlatJSONObjectTests {
    private func object(_ text: String) -> FlatJSONObject? {
        FlatJSONObject(Data(text.utf8))
    }

    @Test func readsPlainValues() throws {
        let o = try #require(object(" {\"input\" : \"héllo wörld 👋\",\n\t\"n\":-42, \"z\":0, \"t\":true,\"f\":false,\"x\":null} \r\n"))
        #expect(o["input"] == .string("héllo wörld 👋"))
        #expect(o["n"] == .integer(-42))
        #expect(o["z"] == .integer(0))
        #expect(o["t"] == .bool(true))
        #expect(o["f"] == .bool(false))
        #expect(o["x"] == .null)
        #expect(o["absent"] == nil)
        #expect(o.keys == ["input", "n", "z", "t", "f", "x"])
        #expect(object("{}")?.keys == [])
        #expect(object("{\"big\":9223372036854775807,\"small\":-9223372036854775808}")?["small"] == .integer(.min))
    }

    @Test(arguments: [
        "", " ", "[]", "\"text\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{\"a\":1} x", "{\"a\":1}{}",
        "{\"a\":[\"x\"]}", "{\"a\":{\"b\":1}}", "{\"a\":\"x\\ny\"}", "{\"a\":\"\\u0041\"}", "{\"a\":\"tab\there\"}",
        "{\"a\":1.5}", "{\"a\":1e3}", "{\"a\":1E3}", "{\"a\":01}", "{\"a\":-}", "{\"a\":- 1}", "{\"a\":9223372036854775808}",
        "{\"a\":-9223372036854775809}", "{\"a\":tru}", "{\"a\":nul}", "{\"a\":1,\"a\":2}", "{a:1}", "{\"a\":\"unterminated}",
    ])
    func anythingElseIsLeftToJSONDecoder(_ body: String) {
        #expect(object(body) == nil)
    }

    @Test func invalidUTF8IsLeftToJSONDecoder() {
        var bytes = Array("{\"input\":\"".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\"}".utf8)
        #expect(FlatJSONObject(Data(bytes)) == nil)
    }

    private func summary(_ r: OpenAIEmbeddingRequest) -> String {
        "\(r.input.inputs) \(String(describing: r.model)) \(String(describing: r.encoding_format)) \(String(describing: r.dimensions)) \(String(describing: r.user))"
    }

    private func summary(_ r: TEIEmbedRequest) -> String {
        "\(r.inputs.inputs) \(String(describing: r.truncate)) \(String(describing: r.truncation_direction?.value)) "
            + "\(String(describing: r.normalize)) \(String(describing: r.prompt_name)) \(String(describing: r.dimensions))"
    }

    /// Where the flat reader takes a body, JSONDecoder reads the same request from it; where
    /// JSONDecoder refuses a body, the flat reader does not take it either.
    @Test(arguments: [
        "{\"input\":\"hello\",\"model\":\"m\"}",
        "{\"input\":\"hello\",\"model\":null,\"encoding_format\":\"base64\",\"dimensions\":128,\"user\":\"u\",\"extra\":true}",
        "{\"model\":\"m\",\"input\":\"x\",\"dimensions\":null}",
        "{\"input\":\"hello\",\"dimensions\":\"128\"}",
        "{\"input\":\"hello\",\"model\":7}",
        "{\"input\":\"hello\",\"encoding_format\":false}",
        "{\"input\":null}",
        "{\"input\":7}",
        "{\"model\":\"m\"}",
        "{\"input\":\"hello\",\"user\":1}",
    ])
    func openAIRequestsReadFlatAgreeWithJSONDecoder(_ body: String) throws {
        let data = Data(body.utf8)
        let flat = FlatJSONObject(data).flatMap(OpenAIEmbeddingRequest.init(flat:))
        let decoded = try? JSONDecoder().decode(OpenAIEmbeddingRequest.self, from: data)
        if let flat {
            let decoded = try #require(decoded, "JSONDecoder refused a body the flat reader took")
            #expect(summary(flat) == summary(decoded))
        }
        if decoded == nil { #expect(flat == nil) }
    }

    @Test(arguments: [
        "{\"inputs\":\"hello\"}",
        "{\"inputs\":\"hello\",\"truncate\":true,\"truncation_direction\":\"Left\",\"normalize\":false,\"prompt_name\":\"query\",\"dimensions\":64}",
        "{\"inputs\":\"hello\",\"truncation_direction\":\"right\",\"truncate\":null}",
        "{\"inputs\":\"hello\",\"truncation_direction\":\"middle\"}",
        "{\"inputs\":\"hello\",\"truncate\":1}",
        "{\"inputs\":\"hello\",\"normalize\":\"yes\"}",
        "{\"input\":\"hello\"}",
    ])
    func teiRequestsReadFlatAgreeWithJSONDecoder(_ body: String) throws {
        let data = Data(body.utf8)
        let flat = FlatJSONObject(data).flatMap(TEIEmbedRequest.init(flat:))
        let decoded = try? JSONDecoder().decode(TEIEmbedRequest.self, from: data)
        if let flat {
            let decoded = try #require(decoded, "JSONDecoder refused a body the flat reader took")
            #expect(summary(flat) == summary(decoded))
        }
        if decoded == nil { #expect(flat == nil) }
    }

    @Test func theFlatReaderTakesTheCommonBodies() {
        #expect(FlatJSONObject(Data("{\"input\":\"hello\",\"model\":\"m\"}".utf8)).flatMap(OpenAIEmbeddingRequest.init(flat:)) != nil)
        #expect(FlatJSONObject(Data("{\"inputs\":\"hello\",\"truncate\":true}".utf8)).flatMap(TEIEmbedRequest.init(flat:)) != nil)
    }
}
