import EmbeddingCore
import Foundation
import Prometheus

/// Prometheus metrics under TEI's `te_*` names, so TEI dashboards work unchanged.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    /// TEI's buckets: durations 1e-5 × 1.5^k (35 buckets, up to ~15 s); lengths and sizes in powers of two.
    private static let durationBuckets: [Double] = (1...35).map { 1e-5 * pow(1.5, Double($0)) }
    private static let lengthBuckets: [Double] = (0...19).map { pow(2, Double($0)) }
    private static let batchSizeBuckets: [Double] = (0...12).map { pow(2, Double($0)) }
    private static let batchTokenBuckets: [Double] = (0...20).map { pow(2, Double($0)) }

    private let requestDuration: ValueHistogram
    private let tokenizationDuration: ValueHistogram
    private let queueDuration: ValueHistogram
    private let inferenceDuration: ValueHistogram
    private let inputLength: ValueHistogram
    private let batchSize: ValueHistogram
    private let batchTokens: ValueHistogram
    private let batchInferenceDuration: ValueHistogram
    private let batchInferenceSuccess: Counter
    private let batchInferenceFailure: Counter
    private let batchInferenceCount: Counter
    private let queueSize: Gauge
    private let embedCount: Counter
    /// `te_request_count` / `te_request_success`, index 0 `single`, 1 `batch`: made once, not per request.
    private let requestCount: [Counter]
    private let requestSuccess: [Counter]
    private let embedSuccess: Counter

    init() {
        requestDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_duration", "Total time of successful requests in seconds"), buckets: Self.durationBuckets)
        tokenizationDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_tokenization_duration", "Tokenization time of successful requests in seconds"), buckets: Self.durationBuckets)
        queueDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_queue_duration", "Time successful requests waited for a batch in seconds"), buckets: Self.durationBuckets)
        inferenceDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_inference_duration", "Inference time of successful requests in seconds"), buckets: Self.durationBuckets)
        inputLength = registry.makeValueHistogram(descriptor: Self.describe("te_request_input_length", "Input length of successful requests in tokens"), buckets: Self.lengthBuckets)
        batchSize = registry.makeValueHistogram(descriptor: Self.describe("te_batch_next_size", "Sequences per batch"), buckets: Self.batchSizeBuckets)
        batchTokens = registry.makeValueHistogram(descriptor: Self.describe("te_batch_next_tokens", "Real (unpadded) tokens per batch"), buckets: Self.batchTokenBuckets)
        batchInferenceDuration = registry.makeValueHistogram(descriptor: Self.describe("te_batch_inference_duration", "Inference time per batch in seconds"), buckets: Self.durationBuckets)
        batchInferenceCount = registry.makeCounter(descriptor: Self.describe("te_batch_inference_count", "Batches run"))
        batchInferenceSuccess = registry.makeCounter(descriptor: Self.describe("te_batch_inference_success", "Batches that succeeded"))
        batchInferenceFailure = registry.makeCounter(descriptor: Self.describe("te_batch_inference_failure", "Batches that failed"))
        embedCount = registry.makeCounter(descriptor: Self.describe("te_embed_count", "Inputs received for embedding"))
        embedSuccess = registry.makeCounter(descriptor: Self.describe("te_embed_success", "Inputs embedded successfully"))
        let registry = self.registry
        requestCount = ["single", "batch"].map {
            registry.makeCounter(descriptor: Self.describe("te_request_count", "Requests received"), labels: [("method", $0)])
        }
        requestSuccess = ["single", "batch"].map {
            registry.makeCounter(descriptor: Self.describe("te_request_success", "Requests answered successfully"), labels: [("method", $0)])
        }
        queueSize = registry.makeGauge(descriptor: Self.describe("te_queue_size", "Inputs waiting for a batch"))
    }

    /// TEI labels requests `single` or `batch` (a JSON array of inputs).
    func recordRequest(batch: Bool) {
        requestCount[batch ? 1 : 0].increment()
    }

    func recordSuccess(batch: Bool, result: EmbeddingResult, started: UInt64) {
        requestSuccess[batch ? 1 : 0].increment()
        let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        requestDuration.record(total)
        tokenizationDuration.record(Double(result.tokenizationNanoseconds) / 1e9)
        queueDuration.record(Double(result.queueNanoseconds) / 1e9)
        inferenceDuration.record(Double(result.inferenceNanoseconds) / 1e9)
        for output in result.outputs { inputLength.record(Double(output.length)) }
        embedSuccess.increment(by: Int64(result.outputs.count))
    }

    /// TEI's `err` label values.
    func recordFailure(kind: EmbeddingError.Kind) {
        let label: String
        switch kind {
        case .empty, .validation, .payloadTooLarge: label = "validation"
        case .tokenizer: label = "tokenization"
        case .backend: label = "inference"
        case .overloaded: label = "overloaded"
        case .cancelled: label = "dropped"
        case .unhealthy: label = "unhealthy"
        case .modelNotFound: label = "model_not_found"
        default: label = kind.shortDescription
        }
        registry.makeCounter(descriptor: Self.describe("te_request_failure", "Requests that failed, by error type"), labels: [("err", label)]).increment()
    }

    /// Inputs admitted for embedding (TEI's `te_embed_count`).
    func recordInputs(_ count: Int) {
        embedCount.increment(by: Int64(count))
    }

    func recordBatch(_ batch: BatchObservation) {
        batchSize.record(Double(batch.size))
        batchTokens.record(Double(batch.tokens))
        batchInferenceDuration.record(Double(batch.inferenceNanoseconds) / 1e9)
        batchInferenceCount.increment()
        if batch.succeeded { batchInferenceSuccess.increment() } else { batchInferenceFailure.increment() }
        queueSize.set(Double(batch.queueSize))
    }

    private static func describe(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
