import ArgumentParser
import EmbeddingCore
import Foundation

/// quiver-bench: benchmark helpers that `make bench` (hack/bench.py) drives. Not shipped in images.
@main
struct QuiverBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quiver-bench",
        abstract: "Benchmark helpers for `make bench`.",
        subcommands: [Tokenize.self, KubeCreates.self, KubeDurability.self, OperatorRenders.self])
}

/// `quiver-bench tokenize --tokenizer tokenizer.json --texts FILE [--threads N] [--duration S]`
///
/// Tokenizes every text of FILE (one per line) over and over on N threads for S seconds with
/// EmbeddingCore's `Tokenizer`, then prints one JSON line:
/// `{"tokens_per_second":…,"texts_per_second":…,"threads":…,"seconds":…,"tokens":…,"texts":…,"tokens_per_pass":…,"texts_per_pass":…}`.
/// Tokens include the special tokens ([CLS]/[SEP]) unless `--no-special-tokens`; `tokens_per_pass`
/// (one sequential pass over the file, also the warm-up) lets the caller check the counts against
/// another tokenizer.
struct Tokenize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Tokenizer throughput: tokenize a file's texts repeatedly on N threads; print JSON.")

    @Option(help: "Path of tokenizer.json.")
    var tokenizer: String

    @Option(help: "UTF-8 text file, one text per line (empty lines are skipped).")
    var texts: String

    @Option(help: "Threads tokenizing at once. [default: number of cores]")
    var threads: Int?

    @Option(help: "Seconds to run.")
    var duration: Double = 3

    @Flag(inversion: .prefixedNo, help: "Add the special tokens ([CLS]/[SEP]).")
    var specialTokens = true

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
    }

    func run() throws {
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: self.tokenizer))
        let contents = try String(contentsOfFile: texts, encoding: .utf8)
        let lines = contents.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map(String.init)
        guard !lines.isEmpty else { throw ValidationError("no texts in \(texts)") }
        let addSpecial = specialTokens

        // One sequential pass: the token count per pass, and a warm-up.
        var tokensPerPass = 0
        for text in lines {
            tokensPerPass += tokenizer.encode(text, addSpecialTokens: addSpecial).ids.count
        }

        let threadCount = threads ?? ProcessInfo.processInfo.activeProcessorCount
        let totals = Totals()
        let group = DispatchGroup()
        let start = DispatchSemaphore(value: 0)
        let seconds = duration
        let clock = ContinuousClock()
        for index in 0..<threadCount {
            group.enter()
            let thread = Thread {
                start.wait()
                let deadline = clock.now.advanced(by: .nanoseconds(Int64(seconds * 1e9)))
                var position = index * lines.count / threadCount  // threads start at different texts
                var tokens = 0
                var done = 0
                repeat {
                    tokens += tokenizer.encode(lines[position], addSpecialTokens: addSpecial).ids.count
                    done += 1
                    position += 1
                    if position == lines.count { position = 0 }
                } while clock.now < deadline
                totals.add(tokens: tokens, texts: done)
                group.leave()
            }
            thread.stackSize = 8 << 20
            thread.start()
        }
        let began = clock.now
        for _ in 0..<threadCount { start.signal() }
        group.wait()
        let elapsed = began.duration(to: clock.now)
        let wall = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18

        let (tokens, count) = totals.values
        print("""
            {"tokens_per_second":\(Double(tokens) / wall),"texts_per_second":\(Double(count) / wall),\
            "threads":\(threadCount),"seconds":\(wall),"tokens":\(tokens),"texts":\(count),\
            "tokens_per_pass":\(tokensPerPass),"texts_per_pass":\(lines.count)}
            """)
    }
}

/// Per-thread results, added once per thread at the end.
private final class Totals: @unchecked Sendable {
    private let lock = NSLock()
    private var tokens = 0
    private var texts = 0

    func add(tokens: Int, texts: Int) {
        lock.lock()
        self.tokens += tokens
        self.texts += texts
        lock.unlock()
    }

    var values: (tokens: Int, texts: Int) {
        lock.lock()
        defer { lock.unlock() }
        return (tokens, texts)
    }
}

