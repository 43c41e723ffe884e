// Checks ShortestFloat (Sources/EmbeddingServer/ShortestFloat.swift) against Float.description,
// and times the two. Built and run by hack/check-shortest-float.sh; not part of the package.
//   check-shortest-float all K N   every bit pattern of shard K of N (2^32 / N each)
//   check-shortest-float bench     ns per float, ShortestFloat.Writer against Float.write(to:)
import Foundation

let arguments = CommandLine.arguments
let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
let writer = ShortestFloat.Writer()

func agrees(_ bits: UInt32) -> Bool {
    let value = Float(bitPattern: bits)
    guard value.isFinite else { return true }
    let count = writer.write(value, to: buffer)
    let ours = String(decoding: UnsafeBufferPointer(start: buffer, count: count), as: UTF8.self)
    if ours != value.description {
        print("bits \(bits): ShortestFloat \(ours), description \(value.description)")
        return false
    }
    return true
}

switch arguments.dropFirst().first {
case "all":
    guard arguments.count == 4, let shard = UInt64(arguments[2]), let shards = UInt64(arguments[3]), shard < shards else {
        print("usage: check-shortest-float all SHARD SHARDS")
        exit(2)
    }
    let low = (UInt64(1) << 32) * shard / shards, high = (UInt64(1) << 32) * (shard + 1) / shards
    var differences = 0
    var bits = low
    while bits < high {
        if !agrees(UInt32(bits)) {
            differences += 1
            if differences > 50 { break }
        }
        bits += 1
    }
    print("shard \(shard) of \(shards): \(high - low) bit patterns, \(differences) differences")
    exit(differences == 0 ? 0 : 1)
case "bench":
    var generator = SystemRandomNumberGenerator()
    let values = (0..<384).map { _ in Float.random(in: -0.2...0.2, using: &generator) }
    let rounds = 20_000
    var total = 0
    let start = ContinuousClock.now
    for _ in 0..<rounds { for value in values { total &+= writer.write(value, to: buffer) } }
    let ours = ContinuousClock.now - start
    var text = ""
    let start2 = ContinuousClock.now
    for _ in 0..<rounds {
        for value in values {
            value.write(to: &text)
            total &+= text.utf8.count
            text.removeAll(keepingCapacity: true)
        }
    }
    let theirs = ContinuousClock.now - start2
    func ns(_ d: Duration) -> String {
        String(format: "%.1f", (d / .nanoseconds(1)) / Double(rounds * values.count))
    }
    print("ns per float: ShortestFloat.Writer \(ns(ours)), Float.write(to:) \(ns(theirs))  (\(total) bytes)")
default:
    print("usage: check-shortest-float all SHARD SHARDS | bench")
    exit(2)
}
