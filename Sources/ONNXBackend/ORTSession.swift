import CONNXRuntime
import EmbeddingCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One ONNX Runtime session over a model: the inputs it takes, the output we read, and `run`.
///
/// Immutable after init except for ONNX Runtime's own state; `OrtSession::Run` is thread-safe, and
/// `InferenceBackend` calls `run` from one thread at a time anyway.
final class ORTSession: @unchecked Sendable {
    /// A model input or output as the session reports it. `dims` holds -1 for symbolic dimensions.
    struct TensorSignature: Sendable {
        let name: String
        let onnxType: ONNXType
        let elementType: ONNXTensorElementDataType
        let dims: [Int64]
    }

    /// Which `Batch` array feeds an input.
    enum Feed: Sendable {
        case inputIds, attentionMask, tokenTypeIds
    }

    struct BoundInput: Sendable {
        let name: String
        let feed: Feed
        /// int64 (bound in place) or int32 (converted per run).
        let elementType: ONNXTensorElementDataType
    }

    /// A failed `OrtApi::Run`, with ONNX Runtime's error code.
    struct RunFailure: Error {
        let ortCode: OrtErrorCode
        let message: String
    }

    static let feeds: [(name: String, feed: Feed)] = [
        ("input_ids", .inputIds), ("attention_mask", .attentionMask), ("token_type_ids", .tokenTypeIds),
    ]
    /// Output names we read, in order of preference; failing these, the first rank-3 float output.
    static let preferredOutputs = ["last_hidden_state", "token_embeddings", "logits"]

    let library: ORTLibrary
    let modelPath: String
    let modelInputs: [TensorSignature]
    let modelOutputs: [TensorSignature]
    let boundInputs: [BoundInput]
    let output: TensorSignature
    /// Whether the model's metadata says `attention_mask` may hold segment numbers
    /// (`quiver.attention_mask: segments`, written by hack/export-onnx.py): several sequences can
    /// then share a row, each attending only to itself, with positions restarting per segment.
    let acceptsSegments: Bool

    /// The metadata entry that marks a segment-aware model, and its value.
    static let segmentsMetadataKey = "quiver.attention_mask"
    static let segmentsMetadataValue = "segments"

    private let handle: OpaquePointer  // OrtSession *
    private let cpuMemory: OpaquePointer  // OrtMemoryInfo * for the input tensors
    private let inputNames: [UnsafeMutablePointer<CChar>]  // strdup'ed, parallel to boundInputs
    private let outputNameC: UnsafeMutablePointer<CChar>

    init(library: ORTLibrary, configuration: ONNXBackendConfiguration) throws {
        self.library = library
        self.modelPath = configuration.modelPath
        let api = library.api.pointee
        let path = configuration.modelPath

        if access(path, F_OK) != 0 {
            throw ONNXBackendError(.sessionCreation, "ONNX model not found at \(path)")
        }
        if access(path, R_OK) != 0 {
            throw ONNXBackendError(.sessionCreation, "ONNX model at \(path) is not readable")
        }
        guard configuration.intraOpThreads >= 0, configuration.interOpThreads >= 0,
              configuration.intraOpThreads <= Int(Int32.max), configuration.interOpThreads <= Int(Int32.max)
        else {
            throw ONNXBackendError(.sessionCreation,
                                   "invalid thread counts intra-op \(configuration.intraOpThreads), inter-op \(configuration.interOpThreads) (0 or more expected)")
        }
        guard configuration.deviceId >= 0 else {
            throw ONNXBackendError(.sessionCreation, "invalid device id \(configuration.deviceId) (0 or more expected)")
        }

        func optionError(_ what: String) -> (String) -> ONNXBackendError {
            { ONNXBackendError(.sessionCreation, "cannot set ONNX Runtime session option \(what): \($0)") }
        }
        var optionsOut: OpaquePointer? = nil
        try library.check(api.CreateSessionOptions(&optionsOut), optionError("(CreateSessionOptions)"))
        guard let options = optionsOut else { throw optionError("(CreateSessionOptions)")("no options returned") }
        defer { api.ReleaseSessionOptions(options) }
        try library.check(api.SetSessionGraphOptimizationLevel(options, ORT_ENABLE_ALL), optionError("graph optimization level"))
        try library.check(api.SetSessionExecutionMode(options, ORT_SEQUENTIAL), optionError("execution mode"))
        try library.check(api.SetIntraOpNumThreads(options, Int32(configuration.intraOpThreads)), optionError("intra-op threads"))
        try library.check(api.SetInterOpNumThreads(options, Int32(configuration.interOpThreads)), optionError("inter-op threads"))
        var entries = configuration.sessionConfigEntries
        entries["session.intra_op.allow_spinning"] = entries["session.intra_op.allow_spinning"] ?? (configuration.allowSpinning ? "1" : "0")
        for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
            try library.check(api.AddSessionConfigEntry(options, key, value), optionError("\(key)=\(value)"))
        }
        try configuration.executionProvider.append(to: options, library: library, deviceId: configuration.deviceId)

        var sessionOut: OpaquePointer? = nil
        if let failure = library.failure(api.CreateSession(library.env, path, options, &sessionOut)) {
            throw Self.sessionError(failure, path: path, provider: configuration.executionProvider, library: library)
        }
        guard let session = sessionOut else {
            throw ONNXBackendError(.sessionCreation, "cannot load the ONNX model \(path): CreateSession returned no session")
        }

        // From here on the session must be released if anything fails.
        var memoryOut: OpaquePointer? = nil
        do {
            let inputs = try Self.signatures(of: session, library: library, inputs: true)
            let outputs = try Self.signatures(of: session, library: library, inputs: false)
            let bound = try Self.bind(inputs, modelPath: path)
            let chosen = try Self.chooseOutput(outputs, modelPath: path)
            let segments = try Self.customMetadata(of: session, key: Self.segmentsMetadataKey, library: library)
            try library.check(api.CreateCpuMemoryInfo(OrtArenaAllocator, OrtMemTypeDefault, &memoryOut)) {
                ONNXBackendError(.sessionCreation, "CreateCpuMemoryInfo failed: \($0)")
            }
            guard let memory = memoryOut else {
                throw ONNXBackendError(.sessionCreation, "CreateCpuMemoryInfo returned nothing")
            }
            self.handle = session
            self.cpuMemory = memory
            self.modelInputs = inputs
            self.modelOutputs = outputs
            self.boundInputs = bound
            self.output = chosen
            self.acceptsSegments = segments == Self.segmentsMetadataValue && bound.contains { $0.feed == .attentionMask }
            self.inputNames = bound.map { strdup($0.name)! }
            self.outputNameC = strdup(chosen.name)!
        } catch {
            api.ReleaseMemoryInfo(memoryOut)
            api.ReleaseSession(session)
            throw error
        }
    }

    deinit {
        let api = library.api.pointee
        api.ReleaseSession(handle)
        api.ReleaseMemoryInfo(cpuMemory)
        inputNames.forEach { free($0) }
        free(outputNameC)
    }

    /// The output's last dimension when the model fixes it (384 for MiniLM).
    var outputWidth: Int? {
        guard let last = output.dims.last, last > 0 else { return nil }
        return Int(last)
    }

    // MARK: - Running

    /// Runs the model on `batch`. Inputs are bound in place over the batch's arrays (int32 inputs
    /// get a converted copy); the output is copied once into the returned `ModelOutput`.
    /// Throws `ONNXBackendError` for a malformed batch or output, `RunFailure` when Run fails.
    func run(_ batch: Batch) throws -> ModelOutput {
        let elements = batch.size * batch.sequenceLength
        guard batch.size >= 0, batch.sequenceLength >= 0,
              batch.inputIds.count == elements, batch.attentionMask.count == elements,
              !boundInputs.contains(where: { $0.feed == .tokenTypeIds }) || batch.tokenTypeIds.count == elements
        else {
            throw ONNXBackendError(.run, "malformed batch: \(batch.size)×\(batch.sequenceLength) with \(batch.inputIds.count) input ids, \(batch.attentionMask.count) mask values, \(batch.tokenTypeIds.count) token type ids")
        }
        if elements == 0 {
            return ModelOutput(batchSize: batch.size, sequenceLength: batch.sequenceLength, width: outputWidth ?? 0, values: [])
        }
        return try batch.inputIds.withUnsafeBufferPointer { ids in
            try batch.attentionMask.withUnsafeBufferPointer { mask in
                try batch.tokenTypeIds.withUnsafeBufferPointer { types in
                    try run(ids: ids, mask: mask, types: types, size: batch.size, sequenceLength: batch.sequenceLength)
                }
            }
        }
    }

    private func run(ids: UnsafeBufferPointer<Int64>, mask: UnsafeBufferPointer<Int64>, types: UnsafeBufferPointer<Int64>,
                     size: Int, sequenceLength: Int) throws -> ModelOutput {
        let api = library.api.pointee
        var shape: [Int64] = [Int64(size), Int64(sequenceLength)]

        var converted: [UnsafeMutableBufferPointer<Int32>] = []
        var values: [OpaquePointer] = []
        defer {
            values.forEach { api.ReleaseValue($0) }
            converted.forEach { $0.deallocate() }
        }
        for input in boundInputs {
            let source: UnsafeBufferPointer<Int64> = switch input.feed {
            case .inputIds: ids
            case .attentionMask: mask
            case .tokenTypeIds: types
            }
            let data: UnsafeMutableRawPointer
            let bytes: Int
            if input.elementType == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 {
                // ORT only reads inputs; the pointer is mutable in the C signature alone.
                data = UnsafeMutableRawPointer(mutating: source.baseAddress!)
                bytes = source.count * MemoryLayout<Int64>.stride
            } else {
                let narrow = UnsafeMutableBufferPointer<Int32>.allocate(capacity: source.count)
                converted.append(narrow)
                for i in 0..<source.count { narrow[i] = Int32(truncatingIfNeeded: source[i]) }
                data = UnsafeMutableRawPointer(narrow.baseAddress!)
                bytes = source.count * MemoryLayout<Int32>.stride
            }
            var value: OpaquePointer? = nil
            let status = shape.withUnsafeMutableBufferPointer { dims in
                api.CreateTensorWithDataAsOrtValue(cpuMemory, data, bytes, dims.baseAddress!, dims.count, input.elementType, &value)
            }
            try library.check(status) { ONNXBackendError(.run, "cannot bind input '\(input.name)': \($0)") }
            guard let value else { throw ONNXBackendError(.run, "cannot bind input '\(input.name)': no value returned") }
            values.append(value)
        }

        var outputValue: OpaquePointer? = nil
        let status = inputNames.map { UnsafePointer($0) }.withUnsafeBufferPointer { names in
            values.withUnsafeBufferPointer { inputs in
                withUnsafePointer(to: UnsafePointer(outputNameC)) { outputName in
                    api.Run(handle, nil, names.baseAddress!, inputs.baseAddress!, inputs.count, outputName, 1, &outputValue)
                }
            }
        }
        defer { api.ReleaseValue(outputValue) }
        if let failure = library.failure(status) {
            throw RunFailure(ortCode: failure.code, message: failure.message)
        }
        guard let outputValue else { throw ONNXBackendError(.run, "Run returned no value for output '\(output.name)'") }
        return try read(outputValue, size: size, sequenceLength: sequenceLength)
    }

    /// Copies a `[batch, sequence, width]` float tensor into a `ModelOutput`.
    private func read(_ value: OpaquePointer, size: Int, sequenceLength: Int) throws -> ModelOutput {
        let api = library.api.pointee
        var infoOut: OpaquePointer? = nil
        try library.check(api.GetTensorTypeAndShape(value, &infoOut)) {
            ONNXBackendError(.run, "cannot read the shape of output '\(output.name)': \($0)")
        }
        guard let info = infoOut else { throw ONNXBackendError(.run, "output '\(output.name)' has no shape") }
        defer { api.ReleaseTensorTypeAndShapeInfo(info) }
        let (elementType, dims) = try Self.typeAndShape(info, library: library) {
            ONNXBackendError(.run, "cannot read the shape of output '\(output.name)': \($0)")
        }
        guard elementType == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, dims.count == 3,
              dims[0] == Int64(size), dims[1] == Int64(sequenceLength), dims[2] >= 0
        else {
            throw ONNXBackendError(.run, "output '\(output.name)' is \(Self.describe(elementType)) \(dims); float [\(size), \(sequenceLength), width] expected")
        }
        let width = Int(dims[2])
        let count = size * sequenceLength * width
        var dataOut: UnsafeMutableRawPointer? = nil
        try library.check(api.GetTensorMutableData(value, &dataOut)) {
            ONNXBackendError(.run, "cannot read output '\(output.name)': \($0)")
        }
        guard let data = dataOut ?? (count == 0 ? UnsafeMutableRawPointer(bitPattern: 1) : nil) else {
            throw ONNXBackendError(.run, "output '\(output.name)' has no data")
        }
        let floats = data.assumingMemoryBound(to: Float.self)
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { buffer.baseAddress!.update(from: floats, count: count) }
            initialized = count
        }
        return ModelOutput(batchSize: size, sequenceLength: sequenceLength, width: width, values: values)
    }

    // MARK: - Model discovery

    private static func signatures(of session: OpaquePointer, library: ORTLibrary, inputs: Bool) throws -> [TensorSignature] {
        let api = library.api.pointee
        let kind = inputs ? "input" : "output"
        func fail(_ message: String) -> ONNXBackendError {
            ONNXBackendError(.invalidModel, "cannot read the model's \(kind)s: \(message)")
        }
        var allocatorOut: OpaquePointer? = nil
        try library.check(api.GetAllocatorWithDefaultOptions(&allocatorOut), fail)
        guard let allocator = allocatorOut else { throw fail("no default allocator") }

        var count = 0
        try library.check(inputs ? api.SessionGetInputCount(session, &count) : api.SessionGetOutputCount(session, &count), fail)
        var result: [TensorSignature] = []
        for index in 0..<count {
            var nameOut: UnsafeMutablePointer<CChar>? = nil
            try library.check(inputs ? api.SessionGetInputName(session, index, allocator, &nameOut)
                                     : api.SessionGetOutputName(session, index, allocator, &nameOut), fail)
            guard let namePointer = nameOut else { throw fail("\(kind) \(index) has no name") }
            let name = String(cString: namePointer)
            try library.check(api.AllocatorFree(allocator, namePointer), fail)

            var typeInfoOut: OpaquePointer? = nil
            try library.check(inputs ? api.SessionGetInputTypeInfo(session, index, &typeInfoOut)
                                     : api.SessionGetOutputTypeInfo(session, index, &typeInfoOut), fail)
            guard let typeInfo = typeInfoOut else { throw fail("\(kind) '\(name)' has no type information") }
            defer { api.ReleaseTypeInfo(typeInfo) }
            var onnxType = ONNX_TYPE_UNKNOWN
            try library.check(api.GetOnnxTypeFromTypeInfo(typeInfo, &onnxType), fail)
            guard onnxType == ONNX_TYPE_TENSOR else {
                result.append(TensorSignature(name: name, onnxType: onnxType, elementType: ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED, dims: []))
                continue
            }
            var tensorInfoOut: OpaquePointer? = nil  // owned by typeInfo
            try library.check(api.CastTypeInfoToTensorInfo(typeInfo, &tensorInfoOut), fail)
            guard let tensorInfo = tensorInfoOut else { throw fail("\(kind) '\(name)' is not a tensor") }
            let (elementType, dims) = try typeAndShape(tensorInfo, library: library, fail)
            result.append(TensorSignature(name: name, onnxType: onnxType, elementType: elementType, dims: dims))
        }
        return result
    }

    /// The value of `key` in the model's custom metadata, nil when absent.
    private static func customMetadata(of session: OpaquePointer, key: String, library: ORTLibrary) throws -> String? {
        let api = library.api.pointee
        func fail(_ message: String) -> ONNXBackendError {
            ONNXBackendError(.invalidModel, "cannot read the model's metadata: \(message)")
        }
        var allocatorOut: OpaquePointer? = nil
        try library.check(api.GetAllocatorWithDefaultOptions(&allocatorOut), fail)
        guard let allocator = allocatorOut else { throw fail("no default allocator") }
        var metadataOut: OpaquePointer? = nil
        try library.check(api.SessionGetModelMetadata(session, &metadataOut), fail)
        guard let metadata = metadataOut else { return nil }
        defer { api.ReleaseModelMetadata(metadata) }
        var valueOut: UnsafeMutablePointer<CChar>? = nil
        try library.check(api.ModelMetadataLookupCustomMetadataMap(metadata, allocator, key, &valueOut), fail)
        guard let value = valueOut else { return nil }
        defer { _ = library.failure(api.AllocatorFree(allocator, value)) }  // releases the status, if any
        return String(cString: value)
    }

    private static func typeAndShape(_ info: OpaquePointer, library: ORTLibrary, _ fail: (String) -> ONNXBackendError)
        throws -> (ONNXTensorElementDataType, [Int64])
    {
        let api = library.api.pointee
        var elementType = ONNX_TENSOR_ELEMENT_DATA_TYPE_UNDEFINED
        try library.check(api.GetTensorElementType(info, &elementType), fail)
        var rank = 0
        try library.check(api.GetDimensionsCount(info, &rank), fail)
        var dims = [Int64](repeating: 0, count: rank)
        if rank > 0 {
            let status = dims.withUnsafeMutableBufferPointer { api.GetDimensions(info, $0.baseAddress!, rank) }
            try library.check(status, fail)
        }
        return (elementType, dims)
    }

    private static func bind(_ inputs: [TensorSignature], modelPath: String) throws -> [BoundInput] {
        let known = feeds.map(\.name).joined(separator: ", ")
        var bound: [BoundInput] = []
        for input in inputs {
            guard let feed = feeds.first(where: { $0.name == input.name })?.feed else {
                throw ONNXBackendError(.invalidModel,
                                       "model \(modelPath) takes input '\(input.name)', which quiver cannot feed (it feeds \(known))")
            }
            guard input.onnxType == ONNX_TYPE_TENSOR,
                  input.elementType == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64 || input.elementType == ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32,
                  input.dims.count == 2
            else {
                throw ONNXBackendError(.invalidModel,
                                       "model \(modelPath) input '\(input.name)' is \(describe(input)); an int64 or int32 [batch, sequence] tensor is expected")
            }
            bound.append(BoundInput(name: input.name, feed: feed, elementType: input.elementType))
        }
        let names = inputs.map(\.name)
        for required in ["input_ids", "attention_mask"] where !names.contains(required) {
            throw ONNXBackendError(.invalidModel,
                                   "model \(modelPath) has no input '\(required)' (its inputs: \(names.isEmpty ? "none" : names.joined(separator: ", ")))")
        }
        return bound
    }

    private static func chooseOutput(_ outputs: [TensorSignature], modelPath: String) throws -> TensorSignature {
        let candidates = outputs.filter {
            $0.onnxType == ONNX_TYPE_TENSOR && $0.elementType == ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT && $0.dims.count == 3
        }
        for name in preferredOutputs {
            if let match = candidates.first(where: { $0.name == name }) { return match }
        }
        if let first = candidates.first { return first }
        let listed = outputs.map { "\($0.name) \(describe($0))" }.joined(separator: ", ")
        throw ONNXBackendError(.invalidModel,
                               "model \(modelPath) has no rank-3 float output such as last_hidden_state (its outputs: \(listed.isEmpty ? "none" : listed))")
    }

    // MARK: - Messages

    static func describe(_ signature: TensorSignature) -> String {
        guard signature.onnxType == ONNX_TYPE_TENSOR else { return "a non-tensor value (ONNX type \(signature.onnxType.rawValue))" }
        let dims = signature.dims.map { $0 < 0 ? "?" : String($0) }.joined(separator: ", ")
        return "\(describe(signature.elementType)) [\(dims)]"
    }

    static func describe(_ type: ONNXTensorElementDataType) -> String {
        switch type {
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT: "float"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT16: "float16"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_BFLOAT16: "bfloat16"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_DOUBLE: "double"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT64: "int64"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT32: "int32"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_INT8: "int8"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_UINT8: "uint8"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_BOOL: "bool"
        case ONNX_TENSOR_ELEMENT_DATA_TYPE_STRING: "string"
        default: "element type \(type.rawValue)"
        }
    }

    /// Maps a CreateSession failure to an error naming the model (or the provider, when a GPU
    /// provider is what failed).
    private static func sessionError(_ failure: (code: OrtErrorCode, message: String), path: String,
                                     provider: ExecutionProvider, library: ORTLibrary) -> ONNXBackendError {
        let message = ExecutionProvider.oneLine(failure.message)
        if provider != .cpu, looksLikeGPUFailure(message) {
            return ONNXBackendError(.providerUnavailable,
                                    "execution provider \(provider.rawValue) is unavailable: creating the session on device failed (ONNX Runtime \(library.version): \(message))")
        }
        switch failure.code {
        case ORT_INVALID_PROTOBUF, ORT_INVALID_GRAPH, ORT_NO_MODEL, ORT_NOT_IMPLEMENTED:
            return ONNXBackendError(.invalidModel, "cannot load the ONNX model \(path): \(message)")
        default:
            return ONNXBackendError(.sessionCreation, "cannot create an ONNX Runtime session for \(path): \(message)")
        }
    }

    /// Whether an ONNX Runtime message reports a CUDA/cuDNN/cuBLAS/TensorRT failure.
    static func looksLikeGPUFailure(_ message: String) -> Bool {
        let lowered = message.lowercased()
        return ["cuda failure", "cuda error", "cudnn failure", "cudnn error", "cublas failure", "cublas error",
                "tensorrt", "cudaerror", "no cuda-capable device"].contains { lowered.contains($0) }
    }
}
