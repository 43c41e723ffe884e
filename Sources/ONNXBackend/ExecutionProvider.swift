import CONNXRuntime

/// Where ONNX Runtime runs the model.
public enum ExecutionProvider: String, CaseIterable, Sendable {
    /// ONNX Runtime's built-in CPU provider (every build has it).
    case cpu
    /// NVIDIA CUDA; needs the onnxruntime-gpu build (`libonnxruntime_providers_cuda.so`) and CUDA/cuDNN.
    case cuda
    /// NVIDIA TensorRT, with CUDA as the fallback for nodes TensorRT doesn't take.
    case tensorrt
}

extension ExecutionProvider {
    /// The provider library ONNX Runtime loads for this provider, and what that library needs.
    var providerLibrary: (name: String, needs: String)? {
        switch self {
        case .cpu: nil
        case .cuda: ("libonnxruntime_providers_cuda.so",
                     "it comes with the onnxruntime-gpu build and needs the CUDA and cuDNN runtime libraries (libcudart, libcublas, libcudnn)")
        case .tensorrt: ("libonnxruntime_providers_tensorrt.so",
                         "it comes with the onnxruntime-gpu build and needs TensorRT (libnvinfer) plus the CUDA and cuDNN runtime libraries")
        }
    }

    /// Appends this provider (and, for TensorRT, CUDA after it) to `options`. The CPU provider is
    /// always there, last, so `.cpu` appends nothing.
    func append(to options: OpaquePointer, library: ORTLibrary, deviceId: Int) throws {
        switch self {
        case .cpu:
            return
        case .cuda:
            try Self.appendCUDA(to: options, library: library, deviceId: deviceId, requested: self)
        case .tensorrt:
            try appendTensorRT(to: options, library: library, deviceId: deviceId)
            try Self.appendCUDA(to: options, library: library, deviceId: deviceId, requested: self)
        }
    }

    private func appendTensorRT(to options: OpaquePointer, library: ORTLibrary, deviceId: Int) throws {
        let api = library.api.pointee
        var trt: OpaquePointer? = nil
        try library.check(api.CreateTensorRTProviderOptions(&trt)) { unavailable($0, library: library) }
        defer { api.ReleaseTensorRTProviderOptions(trt) }
        guard let trt else { throw unavailable("CreateTensorRTProviderOptions returned nothing", library: library) }
        let settings: [(String, String)] = [("device_id", String(deviceId))]
        try withCStringArray(settings.map(\.0)) { keys in
            try withCStringArray(settings.map(\.1)) { values in
                try library.check(api.UpdateTensorRTProviderOptions(trt, keys, values, settings.count)) {
                    unavailable($0, library: library)
                }
            }
        }
        try library.check(api.SessionOptionsAppendExecutionProvider_TensorRT_V2(options, trt)) {
            unavailable($0, library: library)
        }
    }

    private static func appendCUDA(to options: OpaquePointer, library: ORTLibrary, deviceId: Int,
                                   requested: ExecutionProvider) throws {
        let api = library.api.pointee
        // Errors name the provider that was asked for: with .tensorrt, a missing CUDA provider is
        // still "tensorrt is unavailable", but the library named is the CUDA one.
        let cuda = ExecutionProvider.cuda
        func fail(_ message: String) -> ONNXBackendError {
            cuda.unavailable(message, library: library, reportedAs: requested)
        }
        var opts: OpaquePointer? = nil
        try library.check(api.CreateCUDAProviderOptions(&opts), fail)
        defer { api.ReleaseCUDAProviderOptions(opts) }
        guard let opts else { throw fail("CreateCUDAProviderOptions returned nothing") }
        let settings: [(String, String)] = [
            ("device_id", String(deviceId)),
            // Grow the arena by what is asked for, not to the next power of two: batch shapes vary.
            ("arena_extend_strategy", "kSameAsRequested"),
            ("do_copy_in_default_stream", "1"),
            ("cudnn_conv_algo_search", "HEURISTIC"),
        ]
        try withCStringArray(settings.map(\.0)) { keys in
            try withCStringArray(settings.map(\.1)) { values in
                try library.check(api.UpdateCUDAProviderOptions(opts, keys, values, settings.count), fail)
            }
        }
        try library.check(api.SessionOptionsAppendExecutionProvider_CUDA_V2(options, opts), fail)
    }

    /// `execution provider cuda is unavailable: libonnxruntime_providers_cuda.so could not be loaded (…)`.
    /// Names the library ONNX Runtime's message names, else this provider's known library.
    func unavailable(_ ortMessage: String, library: ORTLibrary, reportedAs requested: ExecutionProvider? = nil)
        -> ONNXBackendError
    {
        let known = providerLibrary
        let named = Self.firstSharedLibrary(in: ortMessage) ?? known?.name ?? "the \(rawValue) provider library"
        var text = "execution provider \((requested ?? self).rawValue) is unavailable: \(named) could not be loaded"
        text += " (ONNX Runtime \(library.version): \(Self.oneLine(ortMessage)))"
        if let known { text += named == known.name ? "; \(known.needs)" : "; \(known.name): \(known.needs)" }
        return ONNXBackendError(.providerUnavailable, text)
    }

    /// The first `lib….so…` file name in `text`.
    static func firstSharedLibrary(in text: String) -> String? {
        let chars = Array(text.unicodeScalars)
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c.properties.isAlphabetic || ("0"..."9").contains(c) || c == "_" || c == "-" || c == "+" || c == "."
        }
        var i = 0
        while i + 3 <= chars.count {
            let startsWord = i == 0 || !isNameChar(chars[i - 1])
            if startsWord, chars[i] == "l", chars[i + 1] == "i", chars[i + 2] == "b" {
                var j = i
                while j < chars.count, isNameChar(chars[j]) { j += 1 }
                var name = String(String.UnicodeScalarView(chars[i..<j]))
                while name.hasSuffix(".") { name.removeLast() }
                if name.contains(".so") { return name }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces() }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension StringProtocol {
    fileprivate func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s.removeFirst() }
        while s.last?.isWhitespace == true { s.removeLast() }
        return String(s)
    }
}
