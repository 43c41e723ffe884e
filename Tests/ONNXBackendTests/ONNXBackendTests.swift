import EmbeddingCore
import Foundation
import ONNXBackend
import Testing

/// The ONNX Runtime library and the MiniLM model `make setup` puts under `.cache/`.
enum Setup {
    /// …/Tests/ONNXBackendTests/ONNXBackendTests.swift → the repository root.
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let library = root.appendingPathComponent(".cache/onnxruntime/lib/libonnxruntime.so.1.31.1").path
    static let model = root.appendingPathComponent(".cache/models/all-MiniLM-L6-v2/model.onnx").path
    /// The same model in standard ONNX ops (`hack/export-onnx.py --portable`), as other exporters write it.
    static let portableModel = root.appendingPathComponent(".cache/models/all-MiniLM-L6-v2.portable.onnx").path

    static func configuration(_ provider: ExecutionProvider = .cpu, model: String = model) throws -> ONNXBackendConfiguration {
        for path in [library, model] {
            try #require(FileManager.default.fileExists(atPath: path), "\(path) is missing: run `make setup`")
        }
        return ONNXBackendConfiguration(libraryPath: library, modelPath: model, executionProvider: provider)
    }
}

/// `Resources/minilm-reference.json`: token ids and sentence-transformers embeddings (mean-pooled
/// over the attention mask, L2-normalized).
struct Reference: Decodable {
    struct Case: Decodable {
        var id: Int
        var ids: [Int32]
        var embedding: [Float]
    }
    var cases: [Case]

    static func load() throws -> Reference {
        let url = try #require(Bundle.module.url(forResource: "Resources", withExtension: nil))
            .appendingPathComponent("minilm-reference.json")
        return try JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }
}

/// Mean of row `row`'s token vectors where the mask is 1, L2-normalized.
func meanPooled(_ output: ModelOutput, row: Int, mask: ArraySlice<Int64>) -> [Float] {
    var sum = [Double](repeating: 0, count: output.width)
    var tokens = 0.0
    for (t, m) in mask.enumerated() where m != 0 {
        let base = (row * output.sequenceLength + t) * output.width
        for d in 0..<output.width { sum[d] += Double(output.values[base + d]) }
        tokens += 1
    }
    let mean = sum.map { $0 / max(tokens, 1) }
    let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return mean.map { Float($0 / max(norm, 1e-12)) }
}

func cosine(_ a: [Float], _ b: [Float]) -> Double {
    precondition(a.count == b.count)
    var dot = 0.0, na = 0.0, nb = 0.0
    for i in a.indices {
        dot += Double(a[i]) * Double(b[i])
        na += Double(a[i]) * Double(a[i])
        nb += Double(b[i]) * Double(b[i])
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

func encoding(_ ids: [Int32]) -> Encoding {
    Encoding(ids: ids, typeIds: [Int32](repeating: 0, count: ids.count),
             offsets: [TokenSpan](repeating: .empty, count: ids.count),
             specialTokensMask: [Bool](repeating: false, count: ids.count))
}

/// Runs each case alone (a 1×n batch) and returns its pooled embedding.
func singleEmbeddings(_ backend: ONNXBackend, _ cases: [Reference.Case]) throws -> [[Float]] {
    try cases.map { c in
        let batch = Batch(encodings: [encoding(c.ids)])
        let output = try backend.run(batch)
        #expect(output.batchSize == 1 && output.sequenceLength == c.ids.count && output.width == 384)
        return meanPooled(output, row: 0, mask: batch.attentionMask[...])
    }
}

@Suite(.serialized)
struct ONNXBackendTests {
    @Test func describesTheModel() throws {
        let backend = try ONNXBackend(configuration: Setup.configuration())
        #expect(backend.inputNames == ["input_ids", "attention_mask", "token_type_ids"])
        #expect(backend.outputName == "last_hidden_state")
        #expect(backend.hiddenSize == 384)
        #expect(backend.maxBatchSize == nil)
        #expect(backend.acceptsPackedRows, "hack/export-onnx.py's default form marks attention_mask as segment numbers")
        try backend.health()
    }

    @Test func packedRowsMatchSingleRuns() throws {
        // All 43 reference cases packed several to a row (rows of up to 300 tokens): each
        // sequence's mean-pooled vector equals its single run and sentence-transformers'.
        let reference = try Reference.load()
        let backend = try ONNXBackend(configuration: Setup.configuration())
        let singles = try singleEmbeddings(backend, reference.cases)
        let plan = PackingPlan(lengths: reference.cases.map(\.ids.count), rowCapacity: 300, runOverheadTokens: 1000)
        #expect(plan.runs.count == 1)
        let rows = plan.runs[0]
        #expect(rows.count < 30 && rows.contains { $0.count >= 4 }, "rows: \(rows)")
        let batch = Batch(packedRows: rows.map { $0.map { encoding(reference.cases[$0].ids) } })
        let output = try backend.run(batch)
        for (row, members) in rows.enumerated() {
            var offset = 0
            for member in members {
                let c = reference.cases[member]
                let pooled = Pooling.mean.pool(output, row: row, offset: offset, length: c.ids.count)
                offset += c.ids.count
                #expect(cosine(pooled, singles[member]) >= 0.999999, "case \(c.id): packed vs single")
                #expect(cosine(pooled, c.embedding) >= 0.99999, "case \(c.id): packed vs sentence-transformers")
            }
        }
    }

    @Test func standardOpsModelRunsPaddedAndMatches() throws {
        // A model without the segment marker (what optimum or torch.onnx write) is never given
        // packed rows, and gives the same vectors.
        let reference = try Reference.load()
        let portable = try ONNXBackend(configuration: Setup.configuration(model: Setup.portableModel))
        #expect(!portable.acceptsPackedRows)
        #expect(portable.inputNames == ["input_ids", "attention_mask", "token_type_ids"])
        for (c, embedding) in zip(reference.cases, try singleEmbeddings(portable, reference.cases)) {
            #expect(cosine(embedding, c.embedding) >= 0.99999, "case \(c.id)")
        }
    }

    @Test func singleRunsMatchSentenceTransformers() throws {
        let reference = try Reference.load()
        #expect(reference.cases.count == 43)
        let backend = try ONNXBackend(configuration: Setup.configuration())
        let embeddings = try singleEmbeddings(backend, reference.cases)
        for (c, embedding) in zip(reference.cases, embeddings) {
            let similarity = cosine(embedding, c.embedding)
            #expect(similarity >= 0.99999, "case \(c.id): cosine \(similarity)")
        }
    }

    @Test func paddedBatchMatchesSingleRuns() throws {
        let reference = try Reference.load()
        let backend = try ONNXBackend(configuration: Setup.configuration())
        let singles = try singleEmbeddings(backend, reference.cases)

        let batch = Batch(encodings: reference.cases.map { encoding($0.ids) })
        #expect(batch.size == 43 && batch.sequenceLength == 256)
        let output = try backend.run(batch)
        #expect(output.batchSize == 43 && output.sequenceLength == 256 && output.width == 384)
        for (row, c) in reference.cases.enumerated() {
            let start = row * batch.sequenceLength
            let pooled = meanPooled(output, row: row, mask: batch.attentionMask[start..<start + batch.sequenceLength])
            let similarity = cosine(pooled, singles[row])
            #expect(similarity >= 0.999999, "case \(c.id): batched vs single cosine \(similarity)")
        }
    }

    @Test func emptyBatchRunsNothing() throws {
        let backend = try ONNXBackend(configuration: Setup.configuration())
        let output = try backend.run(Batch(encodings: []))
        #expect(output.batchSize == 0 && output.values.isEmpty)
    }

    @Test func missingLibraryNamesThePath() throws {
        _ = try Setup.configuration()
        let path = "/nonexistent/quiver/libonnxruntime.so"
        let configuration = ONNXBackendConfiguration(libraryPath: path, modelPath: Setup.model)
        let error = try #require(throws: ONNXBackendError.self) { try ONNXBackend(configuration: configuration) }
        #expect(error.code == .libraryNotFound)
        #expect(error.description.contains(path))
        #expect(error.description.contains("ONNXRUNTIME_LIBRARY"))
    }

    @Test func cudaIsUnavailableOnTheCPUBuild() throws {
        let error = try #require(throws: ONNXBackendError.self) {
            try ONNXBackend(configuration: Setup.configuration(.cuda))
        }
        #expect(error.code == .providerUnavailable)
        #expect(error.description.contains("libonnxruntime_providers_cuda"), "\(error)")
        #expect(error.description.hasPrefix("execution provider cuda is unavailable"), "\(error)")
    }

    @Test func tensorRTIsUnavailableOnTheCPUBuild() throws {
        let error = try #require(throws: ONNXBackendError.self) {
            try ONNXBackend(configuration: Setup.configuration(.tensorrt))
        }
        #expect(error.code == .providerUnavailable)
        #expect(error.description.contains("libonnxruntime_providers_tensorrt"), "\(error)")
    }

    @Test func missingModelIsAClearError() throws {
        var configuration = try Setup.configuration()
        configuration.modelPath = "/nonexistent/quiver/model.onnx"
        let error = try #require(throws: ONNXBackendError.self) { try ONNXBackend(configuration: configuration) }
        #expect(error.code == .sessionCreation)
        #expect(error.description == "ONNX model not found at /nonexistent/quiver/model.onnx")
    }
}
