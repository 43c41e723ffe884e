import EmbeddingCore
import Foundation
import Prometheus

/// Prometheus metrics under TEI's `te_*` names, so TEI dashboards work unchanged.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    private let durationBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
    private let lengthBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384]
    private let batchSizeBuckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]

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
        requestDuration = registry.makeValueHistogram(name: "te_request_duration", buckets: durationBuckets, help: "Total time of successful requests in seconds")
        tokenizationDuration = registry.makeValueHistogram(name: "te_request_tokenization_duration", buckets: durationBuckets, help: "Tokenization time of successful requests in seconds")
        queueDuration = registry.makeValueHistogram(name: "te_request_queue_duration", buckets: durationBuckets, help: "Time successful requests waited for a batch in seconds")
        inferenceDuration = registry.makeValueHistogram(name: "te_request_inference_duration", buckets: durationBuckets, help: "Inference time of successful requests in seconds")
        inputLength = registry.makeValueHistogram(name: "te_request_input_length", buckets: lengthBuckets, help: "Input length of successful requests in tokens")
        batchSize = registry.makeValueHistogram(name: "te_batch_next_size", buckets: batchSizeBuckets, help: "Sequences per batch")
        batchTokens = registry.makeValueHistogram(name: "te_batch_next_tokens", buckets: lengthBuckets, help: "Tokens per batch")
        batchInferenceDuration = registry.makeValueHistogram(name: "te_batch_inference_duration", buckets: durationBuckets, help: "Inference time per batch in seconds")
        batchInferenceCount = registry.makeCounter(name: "te_batch_inference_count", help: "Batches run")
        batchInferenceSuccess = registry.makeCounter(name: "te_batch_inference_success", help: "Batches that succeeded")
        batchInferenceFailure = registry.makeCounter(name: "te_batch_inference_failure", help: "Batches that failed")
        queueSize = registry.makeGauge(name: "te_queue_size", help: "Inputs waiting for a batch")
    }

    func recordRequest(route: String) {
        registry.makeCounter(name: "te_request_count", labels: [("method", route)], help: "Requests received").increment()
    }

    func recordSuccess(route: String, result: EmbeddingResult, started: UInt64) {
        registry.makeCounter(name: "te_request_success", labels: [("method", route)], help: "Requests answered successfully").increment()
        let total = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        requestDuration.record(total)
        tokenizationDuration.record(Double(result.tokenizationNanoseconds) / 1e9)
        queueDuration.record(Double(result.queueNanoseconds) / 1e9)
        inferenceDuration.record(Double(result.inferenceNanoseconds) / 1e9)
        for count in result.tokenCounts { inputLength.record(Double(count)) }
        registry.makeCounter(name: "te_embed_count", labels: [("method", route)], help: "Inputs embedded").increment(by: Int64(result.tokenCounts.count))
    }

    func recordFailure(route: String, kind: EmbeddingError.Kind) {
        registry.makeCounter(name: "te_request_failure", labels: [("err", APIError.teiType(for: kind))],
                             help: "Requests that failed, by error type").increment()
    }

    func recordBatch(_ batch: BatchObservation) {
        batchSize.record(Double(batch.size))
        batchTokens.record(Double(batch.tokens))
        batchInferenceDuration.record(Double(batch.inferenceNanoseconds) / 1e9)
        batchInferenceCount.increment()
        if batch.succeeded { batchInferenceSuccess.increment() } else { batchInferenceFailure.increment() }
        queueSize.set(Double(batch.queueSize))
    }

    func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
