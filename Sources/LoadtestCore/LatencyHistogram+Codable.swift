/// JSON form of a histogram: `{"unit":"ns","subBucketBits":7,"count":3,"min":..,"max":..,"sum":"..",
/// "buckets":[[index,count],...],"summary":{...}}`. Buckets are sparse; `sum` is a decimal string
/// (128 bits); `summary` is written for readers and ignored when decoding.
extension LatencyHistogram: Codable {
    private enum CodingKeys: String, CodingKey {
        case unit, subBucketBits, count, min, max, sum, buckets, summary
    }

    /// Decodes and checks a histogram: bits in range, bucket indices in range, counts adding up.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let unit = try container.decode(String.self, forKey: .unit)
        guard unit == "ns" else {
            throw DecodingError.dataCorruptedError(forKey: .unit, in: container, debugDescription: "unit must be \"ns\"")
        }
        let bits = try container.decode(Int.self, forKey: .subBucketBits)
        guard (1...12).contains(bits) else {
            throw DecodingError.dataCorruptedError(forKey: .subBucketBits, in: container,
                                                   debugDescription: "subBucketBits must be in 1...12")
        }
        self.init(subBucketBits: bits)
        let pairs = try container.decode([[UInt64]].self, forKey: .buckets)
        var total: UInt64 = 0
        for pair in pairs {
            guard pair.count == 2, pair[0] < UInt64(counts.count) else {
                throw DecodingError.dataCorruptedError(forKey: .buckets, in: container,
                                                       debugDescription: "each bucket is [index, count] with index < \(counts.count)")
            }
            counts[Int(pair[0])] &+= pair[1]
            total &+= pair[1]
        }
        let declared = try container.decode(UInt64.self, forKey: .count)
        guard declared == total else {
            throw DecodingError.dataCorruptedError(forKey: .count, in: container,
                                                   debugDescription: "count \(declared) differs from the bucket total \(total)")
        }
        guard let sum = UInt128(try container.decode(String.self, forKey: .sum)) else {
            throw DecodingError.dataCorruptedError(forKey: .sum, in: container, debugDescription: "sum must be a decimal string")
        }
        count = total
        self.sum = sum
        if total > 0 {
            minimum = try container.decode(UInt64.self, forKey: .min)
            max = try container.decode(UInt64.self, forKey: .max)
            let occupied = counts.indices.filter { counts[$0] != 0 }
            guard bucketIndex(of: minimum) == occupied.first, bucketIndex(of: max) == occupied.last else {
                throw DecodingError.dataCorruptedError(forKey: .min, in: container,
                                                       debugDescription: "min and max must fall in the first and last occupied buckets")
            }
        }
    }

    /// Encodes the sparse form described on the extension.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("ns", forKey: .unit)
        try container.encode(subBucketBits, forKey: .subBucketBits)
        try container.encode(count, forKey: .count)
        try container.encode(min, forKey: .min)
        try container.encode(max, forKey: .max)
        try container.encode(String(sum), forKey: .sum)
        try container.encode(nonEmptyBuckets.map { [UInt64($0.index), $0.count] }, forKey: .buckets)
        try container.encode(summary, forKey: .summary)
    }
}
