import DequeModule
import Dispatch
import Foundation

/// One input of an embedding request: text to tokenize, or token ids taken as they are (TEI and
/// OpenAI accept both).
public enum EmbeddingInput: Sendable, Equatable {
    case text(String)
    case tokens([Int32])
}

/// Settings of one ``EmbeddingPipeline``; the executable fills them from flags.
public struct EmbeddingPipelineConfiguration: Sendable {
    /// Budget of one batch in padded tokens (`--max-batch-tokens`).
    public var maxBatchTokens: Int = 16384
    /// Most sequences per batch (`--max-batch-requests`); nil: only the token budget limits.
    public var maxBatchRequests: Int? = nil
    /// Most inputs in flight before new requests get 429 (`--max-concurrent-requests`).
    public var maxConcurrentInputs: Int = 512
    /// Threads that tokenize (`--tokenization-workers`).
    public var tokenizationWorkers: Int = ProcessInfo.processInfo.activeProcessorCount
    /// Longest input in tokens, special tokens included.
    public var maxInputLength: Int = 512
    /// Most sequences in one model run: a scheduled batch is sorted by length and cut into runs
    /// that minimise padding (see ``BatchPlan``).
    public var maxRowsPerRun: Int = 64
    /// Fixed cost of one model run in tokens, for the planner (about 1 ms of CPU inference).
    public var runOverheadTokens: Int = 16
    /// Tokens of one packed row (`--packing-length`): when the backend
    /// ``InferenceBackend/acceptsPackedRows``, sequences shorter than this share rows instead of
    /// being padded (see ``PackingPlan``). 0 turns packing off.
    public var packingLength: Int = 64

    public init(maxBatchTokens: Int = 16384, maxBatchRequests: Int? = nil, maxConcurrentInputs: Int = 512,
                tokenizationWorkers: Int = ProcessInfo.processInfo.activeProcessorCount, maxInputLength: Int = 512,
                maxRowsPerRun: Int = 64, packingLength: Int = 64) {
        self.maxBatchTokens = maxBatchTokens
        self.maxBatchRequests = maxBatchRequests
        self.maxConcurrentInputs = maxConcurrentInputs
        self.tokenizationWorkers = tokenizationWorkers
        self.maxInputLength = maxInputLength
        self.maxRowsPerRun = maxRowsPerRun
        self.packingLength = packingLength
    }

    /// Refuses settings that cannot work, with a message naming the flag.
    public func validate() throws {
        if maxBatchTokens < maxInputLength {
            throw EmbeddingError.configuration(
                "--max-batch-tokens (\(maxBatchTokens)) must be at least the model's maximum input length (\(maxInputLength))")
        }
        if let requests = maxBatchRequests, requests < 1 {
            throw EmbeddingError.configuration("--max-batch-requests must be at least 1")
        }
        if maxConcurrentInputs < 1 { throw EmbeddingError.configuration("--max-concurrent-requests must be at least 1") }
        if tokenizationWorkers < 1 { throw EmbeddingError.configuration("--tokenization-workers must be at least 1") }
        if maxRowsPerRun < 1 { throw EmbeddingError.configuration("--max-run-size must be at least 1") }
        if packingLength < 0 { throw EmbeddingError.configuration("--packing-length must be 0 (off) or more") }
    }
}

/// Options of one request.
public struct EmbeddingOptions: Sendable {
    /// Cut inputs longer than the model's limit instead of failing (TEI's `truncate`).
    public var truncate: Bool = false
    public var truncationDirection: TruncationDirection = .right
    /// Text prepended to every text input before tokenization (a sentence-transformers prompt).
    public var prompt: String? = nil
    public init(truncate: Bool = false, truncationDirection: TruncationDirection = .right, prompt: String? = nil) {
        self.truncate = truncate
        self.truncationDirection = truncationDirection
        self.prompt = prompt
    }
}

/// Where one input's vectors are in a batch's output. Pool it with
/// ``Pooling/pool(_:row:offset:length:)``.
public struct TokenOutput: Sendable {
    public var output: ModelOutput
    public var row: Int
    /// First token of the input in its row (0 unless inputs were packed into shared rows).
    public var offset: Int
    /// The input's tokens (after truncation).
    public var length: Int
}

/// The answer to one request: one ``TokenOutput`` per input, in order, plus timings.
public struct EmbeddingResult: Sendable {
    public var outputs: [TokenOutput]
    public var tokenizationNanoseconds: UInt64
    public var queueNanoseconds: UInt64
    public var inferenceNanoseconds: UInt64
    /// Tokens per input after truncation (what `usage` counts).
    public var tokenCounts: [Int] { outputs.map(\.length) }
    public var totalTokens: Int { outputs.reduce(0) { $0 + $1.length } }
}

/// Per-batch observations, for metrics.
public struct BatchObservation: Sendable {
    public var size: Int
    public var tokens: Int
    public var inferenceNanoseconds: UInt64
    public var succeeded: Bool
    public var queueSize: Int
}

/// The shell around ``BatchScheduler``: tokenization workers, one batcher that pads the next
/// batch while the current one runs, and one inference thread that calls the
/// ``InferenceBackend``. Requests await their results; pooling happens in the awaiting task, off
/// the inference thread.
public final class EmbeddingPipeline: @unchecked Sendable {
    public let configuration: EmbeddingPipelineConfiguration
    public let tokenizer: Tokenizer
    public let backend: InferenceBackend
    private let observer: (@Sendable (BatchObservation) -> Void)?

    // Guarded by `state`: the scheduler, the records of admitted entries, the batch slots.
    private let state = NSCondition()
    private var scheduler: BatchScheduler
    private var records: [BatchScheduler.EntryID: Record] = [:]
    private var nextEntryID: BatchScheduler.EntryID = 0
    private var preparedBatch: PreparedBatch?
    private var batchToRun: PreparedBatch?
    private var stopping = false
    private var started = false
    private var inferenceThreadDone = false

    // Tokenization jobs, guarded by `jobsCondition`.
    private let jobsCondition = NSCondition()
    private var jobs: Deque<TokenizationJob> = []
    private var workersStopping = false

    private let batcher = DispatchQueue(label: "quiver.embed.batcher")

    public init(tokenizer: Tokenizer, backend: InferenceBackend, configuration: EmbeddingPipelineConfiguration,
                observer: (@Sendable (BatchObservation) -> Void)? = nil) throws {
        try configuration.validate()
        self.configuration = configuration
        self.tokenizer = tokenizer
        self.backend = backend
        self.observer = observer
        self.scheduler = BatchScheduler(configuration: .init(
            maxBatchTokens: configuration.maxBatchTokens,
            maxBatchRequests: configuration.maxBatchRequests,
            maxConcurrentInputs: configuration.maxConcurrentInputs))
    }

    /// Starts the tokenization workers and the inference thread.
    public func start() {
        state.lock()
        defer { state.unlock() }
        guard !started else { return }
        started = true
        let inference = Thread { [self] in inferenceLoop() }
        inference.name = "quiver-inference"
        inference.stackSize = 8 << 20
        inference.start()
        for i in 0..<configuration.tokenizationWorkers {
            let worker = Thread { [self] in tokenizationLoop() }
            worker.name = "quiver-tokenizer-\(i)"
            worker.start()
        }
    }

    /// Stops after the work already admitted is done. New requests fail as unhealthy.
    public func shutdown() {
        state.lock()
        stopping = true
        state.broadcast()
        state.unlock()
        // Wait until everything admitted has been answered and the inference thread exited.
        state.lock()
        while scheduler.inFlightInputs > 0 && started {
            _ = state.wait(until: Date().addingTimeInterval(0.05))
        }
        state.unlock()
        jobsCondition.lock()
        workersStopping = true
        jobsCondition.broadcast()
        jobsCondition.unlock()
        state.lock()
        state.broadcast()
        while started && !inferenceThreadDone { _ = state.wait(until: Date().addingTimeInterval(0.05)) }
        state.unlock()
    }

    /// `shutdown()` for async callers: waits on a dedicated thread, so no thread of the
    /// cooperative pool is blocked while in-flight work drains.
    public func shutdownGracefully() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let thread = Thread { [self] in
                shutdown()
                continuation.resume()
            }
            thread.start()
        }
    }

    /// Inputs admitted and not yet answered.
    public var inFlightInputs: Int {
        state.lock()
        defer { state.unlock() }
        return scheduler.inFlightInputs
    }

    /// Whether a padded batch waits for the inference thread.
    public var hasPreparedBatch: Bool {
        state.lock()
        defer { state.unlock() }
        return preparedBatch != nil
    }

    /// Inputs tokenized and waiting for a batch.
    public var queuedInputs: Int {
        state.lock()
        defer { state.unlock() }
        return scheduler.queuedCount
    }

    /// Tokenizes, batches and runs `inputs`; returns their token-level outputs in order.
    /// Throws ``EmbeddingError`` (empty, overloaded, validation, payloadTooLarge, backend,
    /// unhealthy) or `CancellationError` when the calling task is cancelled.
    public func embed(_ inputs: [EmbeddingInput], options: EmbeddingOptions = .init()) async throws -> EmbeddingResult {
        let submitted = SubmittedTicket()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<EmbeddingResult, Error>) in
                do {
                    try Task.checkCancellation()
                    submitted.set(try submit(inputs, options: options) { continuation.resume(with: $0) })
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        } onCancel: {
            submitted.cancel()
        }
    }

    /// Tokenizes, batches and runs `inputs`, then calls `completion` exactly once with their
    /// token-level outputs in order, or with the error (as ``embed(_:options:)`` throws it;
    /// `CancellationError` after ``EmbeddingTicket/cancel()``). `completion` runs on whichever
    /// thread finishes the request (the inference thread, a tokenization worker, or this caller
    /// before `submit` returns), and must hand long work elsewhere.
    /// Throws at once, without calling `completion`, when `inputs` is empty or the server is
    /// overloaded or stopping.
    public func submit(_ inputs: [EmbeddingInput], options: EmbeddingOptions = .init(),
                       completion: @escaping @Sendable (Result<EmbeddingResult, Error>) -> Void) throws -> EmbeddingTicket {
        guard !inputs.isEmpty else { throw EmbeddingError.empty("`inputs` cannot be empty") }
        try admit(inputs.count)
        let request = RequestState(count: inputs.count, completion: completion)
        let ticket = EmbeddingTicket(pipeline: self, request: request)
        if inputs.count == 1 && Self.isCheapToTokenize(inputs[0]) {
            process(TokenizationJob(request: request, index: 0, input: inputs[0], options: options))
            return ticket
        }
        jobsCondition.lock()
        for (index, input) in inputs.enumerated() {
            jobs.append(TokenizationJob(request: request, index: index, input: input, options: options))
        }
        if inputs.count > 1 { jobsCondition.broadcast() } else { jobsCondition.signal() }
        jobsCondition.unlock()
        return ticket
    }

    /// Texts up to this many UTF-8 bytes, alone in their request, are tokenized on the caller's
    /// thread: that takes a few microseconds, less than handing them to a tokenization worker.
    static let inlineTokenizationBytes = 1024

    private static func isCheapToTokenize(_ input: EmbeddingInput) -> Bool {
        switch input {
        case .text(let text): text.utf8.count <= inlineTokenizationBytes
        case .tokens(let ids): ids.count <= inlineTokenizationBytes
        }
    }

    private func admit(_ count: Int) throws {
        state.lock()
        defer { state.unlock() }
        if stopping || !started {
            throw EmbeddingError.unhealthy("the server is shutting down")
        }
        if case .overloaded(let inFlight) = scheduler.admit(inputs: count) {
            throw EmbeddingError.overloaded(
                "Model is overloaded: \(inFlight) inputs in flight, limit \(configuration.maxConcurrentInputs)")
        }
    }

    // MARK: - tokenization

    private func tokenizationLoop() {
        while true {
            jobsCondition.lock()
            while jobs.isEmpty && !workersStopping { jobsCondition.wait() }
            if jobs.isEmpty {
                jobsCondition.unlock()
                return
            }
            let job = jobs.removeFirst()
            jobsCondition.unlock()
            process(job)
        }
    }

    private func process(_ job: TokenizationJob) {
        let started = DispatchTime.now().uptimeNanoseconds
        if job.request.isFinished {
            state.lock()
            let preparation = inputLeftTokenization(job.request, tokenized: false)
            state.unlock()
            prepare(preparation)
            return
        }
        let encoding: Encoding
        do {
            encoding = try tokenize(job.input, options: job.options)
        } catch {
            job.request.fail(error)
            state.lock()
            let preparation = inputLeftTokenization(job.request, tokenized: false)
            state.unlock()
            prepare(preparation)
            cancel(job.request)
            return
        }
        let now = DispatchTime.now().uptimeNanoseconds
        job.request.noteTokenized(nanoseconds: now - started)

        state.lock()
        let id = nextEntryID
        nextEntryID &+= 1
        records[id] = Record(request: job.request, index: job.index, encoding: encoding, enqueuedAt: now)
        job.request.addEntry(id)
        let preparation = inputLeftTokenization(job.request, tokenized: true)
        state.unlock()
        prepare(preparation)
    }

    /// One input of `request` is through tokenization: `tokenized` when it was and its entry is
    /// recorded; otherwise it was skipped or failed, and its admission is given back. The
    /// request's last input enqueues all its entries together, so that an idle server runs a
    /// request's inputs in one batch instead of starting on the first alone. If the request
    /// has failed or been cancelled by then, its entries are dropped instead. Returns the batch
    /// this thread must pad next, if any. (`state` locked.)
    private func inputLeftTokenization(_ request: RequestState, tokenized: Bool) -> Preparation? {
        if !tokenized {
            scheduler.release(inputs: 1)
            state.broadcast()
        }
        request.untokenized -= 1
        guard request.untokenized == 0 else { return nil }
        // Until now none of the request's entries was queued, so each still has its record.
        let ids = request.entryIDs
        if request.isFinished {
            for id in ids where records.removeValue(forKey: id) != nil {
                scheduler.release(inputs: 1)
            }
            state.broadcast()
        } else if !ids.isEmpty {
            return perform(scheduler.enqueue(contentsOf: ids.map { .init(id: $0, tokens: records[$0]!.encoding.count) }))
        }
        return nil
    }

    private func tokenize(_ input: EmbeddingInput, options: EmbeddingOptions) throws -> Encoding {
        let limit = configuration.maxInputLength
        switch input {
        case .text(let text):
            // An empty string is a valid input: it embeds as [CLS] [SEP], as sentence-transformers does.
            let full = options.prompt.map { $0 + text } ?? text
            let encoding = tokenizer.encode(full, addSpecialTokens: true,
                                            maxLength: options.truncate ? limit : nil,
                                            direction: options.truncationDirection)
            if encoding.count > limit { throw Self.tooLong(encoding.count, limit: limit) }
            return encoding
        case .tokens(var ids):
            if ids.isEmpty { throw EmbeddingError.empty("Input validation error: `inputs` cannot be empty") }
            let vocabulary = tokenizer.vocabularySize
            if let bad = ids.first(where: { $0 < 0 || Int($0) >= vocabulary }) {
                throw EmbeddingError.validation("Input validation error: token id \(bad) is outside the vocabulary (0..<\(vocabulary))")
            }
            let untruncated = ids.count
            if ids.count > limit {
                guard options.truncate else { throw Self.tooLong(ids.count, limit: limit) }
                ids = options.truncationDirection == .right ? Array(ids.prefix(limit)) : Array(ids.suffix(limit))
            }
            return Encoding(ids: ids, typeIds: [Int32](repeating: 0, count: ids.count),
                            offsets: [TokenSpan](repeating: .empty, count: ids.count),
                            specialTokensMask: [Bool](repeating: false, count: ids.count),
                            untruncatedCount: untruncated)
        }
    }

    /// TEI's wording for an input over the limit without truncation.
    private static func tooLong(_ count: Int, limit: Int) -> EmbeddingError {
        .payloadTooLarge("Input validation error: `inputs` must have less than \(limit) tokens. Given: \(count)")
    }

    // MARK: - scheduling (all called with `state` locked)

    /// Does what the scheduler asked, except padding: a batch to pad comes back as a
    /// ``Preparation`` for the caller to run with ``prepare(_:)`` once `state` is unlocked.
    /// (`state` locked.)
    private func perform(_ action: BatchScheduler.Action) -> Preparation? {
        switch action {
        case .none:
            return nil
        case .prepare(let entries):
            return preparation(of: entries)
        case .run:
            handOverPreparedBatch()
            return nil
        case .runAndPrepare(let entries):
            handOverPreparedBatch()
            return preparation(of: entries)
        case .grow(let entries):
            precondition(preparedBatch != nil, "scheduler grew a batch that was not prepared")
            preparedBatch!.growth.append(preparation(of: entries))
            return nil
        case .drop(let id):
            if let record = records.removeValue(forKey: id) {
                scheduler.release(inputs: 1)
                record.request.fail(CancellationError())
            }
            return nil
        }
    }

    private func handOverPreparedBatch() {
        precondition(batchToRun == nil && preparedBatch != nil, "scheduler ran a batch that was not prepared")
        batchToRun = preparedBatch
        preparedBatch = nil
        state.broadcast()
    }

    /// What padding `entries` needs, read while `state` is locked.
    private func preparation(of entries: [BatchScheduler.Entry]) -> Preparation {
        Preparation(ids: entries.map(\.id), encodings: entries.map { records[$0.id]!.encoding })
    }

    /// Pads batches on this thread (`state` unlocked) until the scheduler asks for no more: the
    /// batch given, then the next one when the batch given started at once. Inputs arriving on
    /// the event loop or a tokenization worker pad here when they start a batch, which costs a few
    /// microseconds for short inputs and saves waking another thread; inputs that join a batch
    /// already prepared only record themselves (``BatchScheduler/Action/grow(_:)``). The
    /// inference thread hands its padding to `batcher` so that it starts the next batch at once.
    private func prepare(_ preparation: Preparation?) {
        var next = preparation
        while let work = next {
            let runs = build(work)
            state.lock()
            preparedBatch = PreparedBatch(work: work, runs: runs)
            next = perform(scheduler.batchPrepared())
            state.unlock()
        }
    }

    private func build(_ work: Preparation) -> [PreparedRun] {
        let plan = PackingPlan(lengths: work.encodings.map(\.count),
                               rowCapacity: backend.acceptsPackedRows ? configuration.packingLength : 0,
                               runOverheadTokens: configuration.runOverheadTokens,
                               maxRowsPerRun: configuration.maxRowsPerRun)
        let padId = tokenizer.padTokenId
        return plan.runs.map { rows in
            var placements: [PreparedRun.Placement] = []
            for (row, members) in rows.enumerated() {
                var offset = 0
                for member in members {
                    placements.append(.init(id: work.ids[member], row: row, offset: offset))
                    offset += work.encodings[member].count
                }
            }
            let batch = Batch(packedRows: rows.map { $0.map { work.encodings[$0] } }, padId: padId)
            return PreparedRun(placements: placements, batch: batch)
        }
    }

    // MARK: - inference

    private func inferenceLoop() {
        while true {
            state.lock()
            while batchToRun == nil && !(stopping && scheduler.inFlightInputs == 0) {
                state.wait()
            }
            guard let prepared = batchToRun else {
                inferenceThreadDone = true
                state.broadcast()
                state.unlock()
                return
            }
            batchToRun = nil
            state.unlock()
            // Inputs that joined the batch after it was padded are padded in with it now: once
            // per batch (tens of microseconds for a batch of short inputs) instead of once per
            // arrival on the threads that serve HTTP.
            let runs = prepared.growth.ids.isEmpty ? prepared.runs : build(prepared.work + prepared.growth)
            for run in runs { execute(run) }
            state.lock()
            let preparation = perform(scheduler.batchCompleted())
            state.unlock()
            if let preparation { batcher.async { [self] in prepare(preparation) } }
        }
    }

    /// Runs one padded run on the backend and answers its entries.
    private func execute(_ run: PreparedRun) {
        let startedAt = DispatchTime.now().uptimeNanoseconds
        let result: Result<ModelOutput, Error>
        do {
            result = .success(try backend.run(run.batch))
        } catch {
            result = .failure(error)
        }
        let inference = DispatchTime.now().uptimeNanoseconds - startedAt

        state.lock()
        var deliveries: [(Record, PreparedRun.Placement)] = []
        deliveries.reserveCapacity(run.placements.count)
        for placement in run.placements {
            if let record = records.removeValue(forKey: placement.id) {
                deliveries.append((record, placement))
            }
        }
        scheduler.release(inputs: deliveries.count)
        let queueSize = scheduler.queuedCount
        if scheduler.inFlightInputs == 0 { state.broadcast() }
        state.unlock()

        switch result {
        case .success(let output):
            for (record, placement) in deliveries {
                record.request.deliver(index: record.index,
                                       output: TokenOutput(output: output, row: placement.row, offset: placement.offset,
                                                           length: record.encoding.count),
                                       queueNanoseconds: startedAt &- record.enqueuedAt,
                                       inferenceNanoseconds: inference)
            }
        case .failure(let error):
            let wrapped = (error as? EmbeddingError) ?? EmbeddingError.backend("\(error)")
            for (record, _) in deliveries { record.request.fail(wrapped) }
        }
        if let observer {
            observer(BatchObservation(size: run.placements.count, tokens: run.batch.lengths.reduce(0, +),
                                      inferenceNanoseconds: inference, succeeded: (try? result.get()) != nil,
                                      queueSize: queueSize))
        }
    }

    // MARK: - cancellation and bookkeeping

    fileprivate func cancel(_ request: RequestState) {
        let ids = request.cancelAndTakeEntries()
        state.lock()
        for id in ids {
            // Cancelling only drops queued entries; it never asks for padding.
            _ = perform(scheduler.cancel(id))
        }
        state.unlock()
    }
}

// MARK: - private types

private struct TokenizationJob {
    let request: RequestState
    let index: Int
    let input: EmbeddingInput
    let options: EmbeddingOptions
}

private struct Record {
    let request: RequestState
    let index: Int
    let encoding: Encoding
    let enqueuedAt: UInt64
}

/// The inputs of a batch to pad, read under the pipeline's lock.
private struct Preparation {
    var ids: [BatchScheduler.EntryID]
    var encodings: [Encoding]

    mutating func append(_ other: Preparation) {
        ids.append(contentsOf: other.ids)
        encodings.append(contentsOf: other.encodings)
    }

    static func + (lhs: Preparation, rhs: Preparation) -> Preparation {
        var sum = lhs
        sum.append(rhs)
        return sum
    }
}

/// A scheduled batch, laid out in runs by ``PackingPlan``.
private struct PreparedBatch {
    /// The entries `runs` were padded from.
    let work: Preparation
    let runs: [PreparedRun]
    /// Entries that joined after padding; the inference thread pads `work + growth` again.
    var growth = Preparation(ids: [], encodings: [])
}

private struct PreparedRun {
    /// Where an entry's tokens are in the run's batch.
    struct Placement {
        let id: BatchScheduler.EntryID
        let row: Int
        let offset: Int
    }

    let placements: [Placement]
    let batch: Batch
}

/// A request handed to ``EmbeddingPipeline/submit(_:options:completion:)``.
public struct EmbeddingTicket: Sendable {
    fileprivate let pipeline: EmbeddingPipeline
    fileprivate let request: RequestState

    /// The client went away: its inputs not yet in a batch are dropped, and the completion gets
    /// `CancellationError` (unless it already ran).
    public func cancel() {
        pipeline.cancel(request)
    }
}

/// The ticket of ``EmbeddingPipeline/embed(_:options:)``, which its task's cancellation handler
/// may need before `submit` has returned it.
private final class SubmittedTicket: @unchecked Sendable {
    private let lock = NSLock()
    private var ticket: EmbeddingTicket?
    private var cancelled = false

    func set(_ ticket: EmbeddingTicket) {
        lock.lock()
        self.ticket = ticket
        let cancelNow = cancelled
        lock.unlock()
        if cancelNow { ticket.cancel() }
    }

    func cancel() {
        lock.lock()
        cancelled = true
        let ticket = self.ticket
        lock.unlock()
        ticket?.cancel()
    }
}

/// Collects the outputs of one request's inputs and calls its completion exactly once.
private final class RequestState: @unchecked Sendable {
    private let lock = NSLock()
    private var completion: (@Sendable (Result<EmbeddingResult, Error>) -> Void)?
    private var outputs: [TokenOutput?]
    private var remaining: Int
    private var finished = false
    private var entries: [BatchScheduler.EntryID] = []
    /// Inputs not yet through tokenization; their entries are queued when it reaches 0
    /// (guarded by the pipeline's `state` lock, not by `lock`).
    var untokenized: Int
    private var tokenization: UInt64 = 0
    private var queue: UInt64 = 0
    private var inference: UInt64 = 0

    init(count: Int, completion: @escaping @Sendable (Result<EmbeddingResult, Error>) -> Void) {
        outputs = Array(repeating: nil, count: count)
        remaining = count
        untokenized = count
        self.completion = completion
    }

    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    var entryIDs: [BatchScheduler.EntryID] {
        lock.lock()
        defer { lock.unlock() }
        return entries
    }

    func addEntry(_ id: BatchScheduler.EntryID) {
        lock.lock()
        entries.append(id)
        lock.unlock()
    }

    func noteTokenized(nanoseconds: UInt64) {
        lock.lock()
        tokenization = max(tokenization, nanoseconds)
        lock.unlock()
    }

    func cancelAndTakeEntries() -> [BatchScheduler.EntryID] {
        lock.lock()
        let ids = entries
        lock.unlock()
        fail(CancellationError())
        return ids
    }

    func deliver(index: Int, output: TokenOutput, queueNanoseconds: UInt64, inferenceNanoseconds: UInt64) {
        lock.lock()
        guard !finished else {
            lock.unlock()
            return
        }
        outputs[index] = output
        queue = max(queue, queueNanoseconds)
        inference = max(inference, inferenceNanoseconds)
        remaining -= 1
        guard remaining == 0, let completion else {
            lock.unlock()
            return
        }
        finished = true
        self.completion = nil
        let result = EmbeddingResult(outputs: outputs.map { $0! },
                                     tokenizationNanoseconds: tokenization, queueNanoseconds: queue,
                                     inferenceNanoseconds: inference)
        lock.unlock()
        completion(.success(result))
    }

    func fail(_ error: Error) {
        lock.lock()
        guard !finished, let completion else {
            lock.unlock()
            return
        }
        finished = true
        self.completion = nil
        lock.unlock()
        completion(.failure(error))
    }
}
