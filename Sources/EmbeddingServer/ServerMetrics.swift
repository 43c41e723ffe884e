import EmbeddingCore
import Foundation
import Prometheus

/// Prometheus metrics under TEI's `te_*` names, so TEI dashboards work unchanged.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private static let durationBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private static let lengthBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384]
    private static let batchSizeBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]

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

    init() {
        requestDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_duration", "Total time of successful requests in seconds"), buckets: Self.durationBuckets)
        tokenizationDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_tokenization_duration", "Tokenization time of successful requests in seconds"), buckets: Self.durationBuckets)
        queueDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_queue_duration", "Time successful requests waited for a batch in seconds"), buckets: Self.durationBuckets)
        inferenceDuration = registry.makeValueHistogram(descriptor: Self.describe("te_request_inference_duration", "Inference time of successful requests in seconds"), buckets: Self.durationBuckets)
        inputLength = registry.makeValueHistogram(descriptor: Self.describe("te_request_input_length", "Input length of successful requests in tokens"), buckets: Self.lengthBuckets)
        batchSize = registry.makeValueHistogram(descriptor: Self.describe("te_batch_next_size", "Sequences per batch"), buckets: Self.batchSizeBuckets)
        batchTokens = registry.makeValueHistogram(descriptor: Self.describe("te_batch_next_tokens", "Tokens per batch"), buckets: Self.lengthBuckets)
        batchInferenceDuration = registry.makeValueHistogram(descriptor: Self.describe("te_batch_inference_duration", "Inference time per batch in seconds"), buckets: Self.durationBuckets)
        batchInferenceCount = registry.makeCounter(descriptor: Self.describe("te_batch_inference_count", "Batches run"))
        batchInferenceSuccess = registry.makeCounter(descriptor: Self.describe("te_batch_inference_success", "Batches that succeeded"))
        batchInferenceFailure = registry.makeCounter(descriptor: Self.describe("te_batch_inference_failure", "Batches that failed"))
        queueSize = registry.makeGauge(descriptor: Self.describe("te_queue_size", "Inputs waiting for a batch"))
    }

    func recordRequest(route: String) {
        registry.makeCounter(descriptor: Self.describe("te_request_count", "Requests received"), labels: [("method", route)]).increment()
    }

    func recordSuccess(route: String, result: EmbeddingResult, started: UInt64) {
        registry.makeCounter(descriptor: Self.describe("te_request_success", "Requests answered successfully"), labels: [("method", route)]).increment()
        let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        requestDuration.record(total)
        tokenizationDuration.record(Double(result.tokenizationNanoseconds) / 1e9)
        queueDuration.record(Double(result.queueNanoseconds) / 1e9)
        inferenceDuration.record(Double(result.inferenceNanoseconds) / 1e9)
        for count in result.tokenCounts { inputLength.record(Double(count)) }
        registry.makeCounter(descriptor: Self.describe("te_embed_count", "Inputs embedded"), labels: [("method", route)]).increment(by: Int64(result.tokenCounts.count))
    }

    func recordFailure(route: String, kind: EmbeddingError.Kind) {
        registry.makeCounter(descriptor: Self.describe("te_request_failure", "Requests that failed, by error type"), labels: [("err", APIError.teiType(for: kind))]).increment()
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
