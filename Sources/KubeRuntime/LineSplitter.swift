/// Cuts a byte stream into newline-terminated lines, as a watch body arrives: one event may span several
/// chunks and several events may share one. A pure value.
public struct LineSplitter: Sendable {
    private var pending: [UInt8] = []
    /// A line longer than this is an error (a runaway stream, not a Kubernetes object).
    public let maximumLineLength: Int

    public init(maximumLineLength: Int = 64 * 1024 * 1024) {
        self.maximumLineLength = maximumLineLength
    }

    /// Adds a chunk; returns the lines it completed, without their `\n` (a trailing `\r` is dropped),
    /// empty lines skipped.
    public mutating func append(_ chunk: some Collection<UInt8>) throws(KubeClientError) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        for byte in chunk {
            if byte == 0x0A {
                if pending.last == 0x0D { pending.removeLast() }
                if !pending.isEmpty { lines.append(pending) }
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count > maximumLineLength {
                    throw KubeClientError.responseTooLarge("a watch event exceeds \(maximumLineLength) bytes")
                }
            }
        }
        return lines
    }

    /// The end of the stream: the last line, if it had no newline.
    public mutating func finish() -> [UInt8]? {
        defer { pending.removeAll() }
        if pending.last == 0x0D { pending.removeLast() }
        return pending.isEmpty ? nil : pending
    }
}
