import EmbeddingCore
import Foundation
import Testing

/// Fixtures: `tokenizer.json` of sentence-transformers/all-MiniLM-L6-v2 and `tokenizer-cases.json`,
/// Hugging Face `tokenizers` output for 421 texts (see its `meta`).
private enum TokenizerFixtures {
    static let resources = Bundle.module.url(forResource: "Resources", withExtension: nil)!
    static let tokenizer: Tokenizer = try! Tokenizer(contentsOf: resources.appendingPathComponent("tokenizer.json"))

    struct Case: Decodable, Sendable {
        var id: Int
        var category: String
        var text: String
        var ids: [Int32]
        var tokens: [String]
        var offsets: [[Int]]
        var offsets_utf8: [[Int]]
        var offsets_utf16: [[Int]]
    }

    struct File: Decodable {
        var cases: [Case]
    }

    static let cases: [Case] = {
        let data = try! Data(contentsOf: resources.appendingPathComponent("tokenizer-cases.json"))
        return try! JSONDecoder().decode(File.self, from: data).cases
    }()

    /// A long English text (well over 256 tokens).
    static let longText = Array(repeating: "The quick brown fox jumps over the lazy dog, again and again.", count: 40)
        .joined(separator: " ")
}

private func spans(_ pairs: [[Int]]) -> [TokenSpan] {
    pairs.map { TokenSpan(start: $0[0], end: $0[1]) }
}

@Suite struct TokenizerTests {
    let tokenizer = TokenizerFixtures.tokenizer

    @Test func fixtureHasAllCases() {
        #expect(TokenizerFixtures.cases.count == 421)
    }

    @Test func fixtureIdsAndTokens() {
        for c in TokenizerFixtures.cases {
            let encoding = tokenizer.encode(c.text)
            #expect(encoding.ids == c.ids, "case \(c.id) [\(c.category)] \(c.text.debugDescription)")
            let tokens = encoding.ids.map { tokenizer.token(forId: $0) ?? "<nil>" }
            #expect(tokens == c.tokens, "case \(c.id) [\(c.category)] \(c.text.debugDescription)")
            #expect(encoding.typeIds == [Int32](repeating: 0, count: c.ids.count), "case \(c.id)")
            #expect(encoding.untruncatedCount == c.ids.count, "case \(c.id)")
            #expect(!encoding.wasTruncated, "case \(c.id)")
        }
    }

    @Test func fixtureOffsetsUTF8() {
        for c in TokenizerFixtures.cases {
            let encoding = tokenizer.encode(c.text)
            #expect(encoding.offsets == spans(c.offsets_utf8), "case \(c.id) [\(c.category)] \(c.text.debugDescription)")
            #expect(encoding.offsets(in: c.text, unit: .utf8) == spans(c.offsets_utf8), "case \(c.id)")
        }
    }

    @Test func fixtureOffsetsUTF16() {
        for c in TokenizerFixtures.cases {
            let encoding = tokenizer.encode(c.text)
            #expect(encoding.offsets(in: c.text, unit: .utf16) == spans(c.offsets_utf16),
                    "case \(c.id) [\(c.category)] \(c.text.debugDescription)")
        }
    }

    @Test func fixtureOffsetsCodePoints() {
        for c in TokenizerFixtures.cases {
            let encoding = tokenizer.encode(c.text)
            #expect(encoding.offsets(in: c.text, unit: .unicodeScalars) == spans(c.offsets),
                    "case \(c.id) [\(c.category)] \(c.text.debugDescription)")
        }
    }

    @Test func specialTokensMask() {
        let encoding = tokenizer.encode("hello [MASK] world")
        #expect(encoding.ids == [101, 7592, 103, 2088, 102])
        #expect(encoding.specialTokensMask == [true, false, true, false, true])
        #expect(encoding.offsets[2] == TokenSpan(start: 6, end: 12))
        let plain = tokenizer.encode("hello world", addSpecialTokens: false)
        #expect(plain.ids == [7592, 2088])
        #expect(plain.specialTokensMask == [false, false])
    }

    @Test func withoutSpecialTokens() {
        for c in TokenizerFixtures.cases.prefix(50) {
            let encoding = tokenizer.encode(c.text, addSpecialTokens: false)
            #expect(encoding.ids == Array(c.ids.dropFirst().dropLast()), "case \(c.id)")
            #expect(encoding.offsets == Array(spans(c.offsets_utf8).dropFirst().dropLast()), "case \(c.id)")
        }
    }

    @Test func rightTruncationKeepsSpecialTokens() {
        let full = tokenizer.encode(TokenizerFixtures.longText)
        #expect(full.count > 300)
        let truncated = tokenizer.encode(TokenizerFixtures.longText, maxLength: 256)
        #expect(truncated.count == 256)
        #expect(truncated.ids.first == 101)
        #expect(truncated.ids.last == 102)
        #expect(truncated.untruncatedCount == full.count)
        #expect(truncated.wasTruncated)
        #expect(Array(truncated.ids[0..<255]) == Array(full.ids[0..<255]))
        #expect(Array(truncated.offsets[0..<255]) == Array(full.offsets[0..<255]))
        #expect(truncated.offsets.last == .empty)
        #expect(truncated.specialTokensMask.first == true && truncated.specialTokensMask.last == true)
        #expect(truncated.specialTokensMask.dropFirst().dropLast().allSatisfy { !$0 })
        #expect(truncated.typeIds.count == 256)
    }

    @Test func leftTruncationKeepsSpecialTokens() {
        let full = tokenizer.encode(TokenizerFixtures.longText)
        let truncated = tokenizer.encode(TokenizerFixtures.longText, maxLength: 256, direction: .left)
        #expect(truncated.count == 256)
        #expect(truncated.ids.first == 101)
        #expect(truncated.ids.last == 102)
        #expect(truncated.untruncatedCount == full.count)
        #expect(Array(truncated.ids[1...]) == Array(full.ids.suffix(255)))
        #expect(Array(truncated.offsets[1...]) == Array(full.offsets.suffix(255)))
        #expect(truncated.offsets.first == .empty)
    }

    @Test func truncationEdges() {
        let short = tokenizer.encode("hello world", maxLength: 256)
        #expect(short.ids == [101, 7592, 2088, 102])
        #expect(!short.wasTruncated)
        let exact = tokenizer.encode("hello world", maxLength: 4)
        #expect(exact.ids == [101, 7592, 2088, 102])
        let cut = tokenizer.encode("hello world", maxLength: 3)
        #expect(cut.ids == [101, 7592, 102])
        #expect(cut.untruncatedCount == 4)
        let noSpecial = tokenizer.encode("hello big world", addSpecialTokens: false, maxLength: 2, direction: .left)
        #expect(noSpecial.ids == [2502, 2088])
        #expect(noSpecial.untruncatedCount == 3)
        let onlySpecial = tokenizer.encode("hello world", maxLength: 2)
        #expect(onlySpecial.ids == [101, 102])
    }

    @Test func fixtureLongInputsTruncate() {
        for c in TokenizerFixtures.cases where c.ids.count > 256 {
            let encoding = tokenizer.encode(c.text, maxLength: 256)
            #expect(encoding.ids == Array(c.ids.prefix(255)) + [102], "case \(c.id)")
            #expect(encoding.offsets == Array(spans(c.offsets_utf8).prefix(255)) + [.empty], "case \(c.id)")
            #expect(encoding.untruncatedCount == c.ids.count, "case \(c.id)")
            let left = tokenizer.encode(c.text, maxLength: 256, direction: .left)
            #expect(left.ids == [101] + Array(c.ids.suffix(255)), "case \(c.id)")
        }
    }

    @Test(arguments: [
        ("hello world!", "hello world!"),
        ("the quick brown fox jumps over the lazy dog.", "the quick brown fox jumps over the lazy dog."),
        ("tokenization of embeddings, is it unbelievable?", "tokenization of embeddings, is it unbelievable?"),
        ("Héllo, WORLD", "hello, world"),
        ("i don't know", "i don ' t know"),
        ("hello [MASK] world", "hello world"),
    ])
    func decodeRoundTrip(text: String, expected: String) {
        let ids = tokenizer.encode(text).ids
        #expect(tokenizer.decode(ids) == expected)
    }

    @Test func decodeSpecialTokensAndUnknownIds() {
        let ids = tokenizer.encode("hello world").ids
        #expect(tokenizer.decode(ids, skipSpecialTokens: false) == "[CLS] hello world [SEP]")
        #expect(tokenizer.decode(ids + [999_999, -1]) == "hello world")
        #expect(tokenizer.decode([]) == "")
    }

    @Test func vocabulary() {
        #expect(tokenizer.vocabularySize == 30522)
        #expect(tokenizer.padTokenId == 0)
        #expect(tokenizer.numberOfSpecialTokens == 2)
        #expect(tokenizer.specialTokenIds == [0, 100, 101, 102, 103])
        #expect(tokenizer.id(forToken: "hello") == 7592)
        #expect(tokenizer.id(forToken: "##ing") == 2075)
        #expect(tokenizer.id(forToken: "not-a-token") == nil)
        #expect(tokenizer.token(forId: 7592) == "hello")
        #expect(tokenizer.token(forId: 101) == "[CLS]")
        #expect(tokenizer.token(forId: 30522) == nil)
        #expect(tokenizer.token(forId: -1) == nil)
    }

    @Test func concurrentEncodingMatchesSerial() async {
        let shared = tokenizer
        let texts = TokenizerFixtures.cases.map(\.text)
        let expected = texts.map { shared.encode($0) }
        await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    texts.indices.allSatisfy { shared.encode(texts[$0]) == expected[$0] }
                }
            }
            for await ok in group { #expect(ok) }
        }
    }

    @Test func unsupportedModelThrows() {
        let json = #"{"version":"1.0","added_tokens":[],"normalizer":null,"pre_tokenizer":null,"post_processor":null,"decoder":null,"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}"#
        do {
            _ = try Tokenizer(data: Data(json.utf8))
            Issue.record("expected an error")
        } catch let error as TokenizerError {
            #expect(error.description.contains("\"BPE\""))
            #expect(error.description.contains("WordPiece"))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func unsupportedComponentsThrow() {
        func load(normalizer: String = "null", preTokenizer: String = "null", postProcessor: String = "null") -> String? {
            let json = """
            {"added_tokens":[],"normalizer":\(normalizer),"pre_tokenizer":\(preTokenizer),"post_processor":\(postProcessor),\
            "decoder":null,"model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##",\
            "max_input_chars_per_word":100,"vocab":{"[UNK]":0,"a":1}}}
            """
            do {
                _ = try Tokenizer(data: Data(json.utf8))
                return nil
            } catch {
                return "\(error)"
            }
        }
        #expect(load() == nil)
        #expect(load(normalizer: #"{"type":"NFKC"}"#)?.contains("\"NFKC\"") == true)
        #expect(load(preTokenizer: #"{"type":"ByteLevel","add_prefix_space":false}"#)?.contains("\"ByteLevel\"") == true)
        #expect(load(postProcessor: #"{"type":"RobertaProcessing"}"#)?.contains("\"RobertaProcessing\"") == true)
        #expect((try? Tokenizer(data: Data("not json".utf8))) == nil)
    }

    /// A hand-written WordPiece tokenizer exercising added-token options and other components.
    @Test func addedTokenOptions() throws {
        let json = """
        {"added_tokens":[
          {"id":0,"content":"[UNK]","special":true,"normalized":false,"lstrip":false,"rstrip":false,"single_word":false},
          {"id":10,"content":"<mask>","special":true,"normalized":false,"lstrip":true,"rstrip":true,"single_word":false},
          {"id":11,"content":"Foo","special":false,"normalized":true,"lstrip":false,"rstrip":false,"single_word":false},
          {"id":12,"content":"ab","special":false,"normalized":false,"lstrip":false,"rstrip":false,"single_word":true}],
         "normalizer":{"type":"Sequence","normalizers":[{"type":"NFD"},{"type":"StripAccents"},{"type":"Lowercase"}]},
         "pre_tokenizer":{"type":"WhitespaceSplit"},
         "post_processor":{"type":"BertProcessing","sep":["[SEP]",3],"cls":["[CLS]",2]},
         "decoder":{"type":"WordPiece","prefix":"##","cleanup":true},
         "model":{"type":"WordPiece","unk_token":"[UNK]","continuing_subword_prefix":"##","max_input_chars_per_word":100,
           "vocab":{"[UNK]":0,"x":1,"[CLS]":2,"[SEP]":3,"##x":4,"a":5,"##b":6,"e":7,"##e":8,"foo":9}}}
        """
        let tokenizer = try Tokenizer(data: Data(json.utf8))
        // Expected values from Hugging Face tokenizers 0.23.3 on the same file.
        // lstrip/rstrip absorb the surrounding spaces into <mask>.
        let masked = tokenizer.encode("x  <mask> x", addSpecialTokens: false)
        #expect(masked.ids == [1, 10, 1])
        #expect(masked.offsets == [TokenSpan(start: 0, end: 1), TokenSpan(start: 1, end: 10), TokenSpan(start: 10, end: 11)])
        #expect(tokenizer.encode("x<mask>x", addSpecialTokens: false).ids == [1, 10, 1])
        // "Foo" is normalized ("foo") and matched after lowercasing, inside a word too.
        let foo = tokenizer.encode("xFOOx", addSpecialTokens: false)
        #expect(foo.ids == [1, 11, 1])
        #expect(foo.offsets == [TokenSpan(start: 0, end: 1), TokenSpan(start: 1, end: 4), TokenSpan(start: 4, end: 5)])
        // single_word: "ab" only where no word character touches it.
        #expect(tokenizer.encode("ab", addSpecialTokens: false).ids == [12])
        #expect(tokenizer.encode("xab", addSpecialTokens: false).ids == [0])
        #expect(tokenizer.encode("ab x", addSpecialTokens: false).ids == [12, 1])
        #expect(tokenizer.encode("ab,ab", addSpecialTokens: false).ids == [12, 0, 12])
        // NFD + StripAccents + Lowercase: "É" -> "e", offsets cover the original two bytes.
        let accent = tokenizer.encode("Éé", addSpecialTokens: false)
        #expect(accent.ids == [7, 8])
        #expect(accent.offsets == [TokenSpan(start: 0, end: 2), TokenSpan(start: 2, end: 4)])
        #expect(accent.offsets(in: "Éé", unit: .unicodeScalars) == [TokenSpan(start: 0, end: 1), TokenSpan(start: 1, end: 2)])
        // BertProcessing.
        #expect(tokenizer.encode("x").ids == [2, 1, 3])
        #expect(tokenizer.numberOfSpecialTokens == 2)
        #expect(tokenizer.vocabularySize == 13)
        // [CLS] is not an added token here, so it is not skipped; <mask> is.
        #expect(tokenizer.decode([2, 1, 4, 10, 1]) == "[CLS] xx x")
        #expect(tokenizer.decode([2, 1, 4, 10, 1], skipSpecialTokens: false) == "[CLS] xx <mask> x")
    }
}
