import Foundation

/// The `.ombudmodel` binary format (little-endian):
///
///     "OMBUDMDL"  u32 formatVersion  u32 metadataLength  metadata (JSON, ModelMetadata)
///     u32 usedBuckets  bitmap (bucketCount / 8 bytes, bit set = bucket seen in training)
///     f32 idfScale  u16 × used (quantised IDF)          -- only when features.useIDF
///     f32 × classes (bias)
///     weights of each used bucket, by `weightEncoding`:
///       "float32": f32 × classes;  "int8": f32 scale + i8 × classes (w ≈ scale × q)
///
/// Only buckets seen in training are stored (the rest have zero weight and IDF), which
/// with int8 keeps a 14-class model over 2^18 buckets to a couple of megabytes.
public enum ModelFile {
    public static let formatVersion = 1
    public static let magic: [UInt8] = Array("OMBUDMDL".utf8)

    public enum WeightEncoding: String, Sendable, CaseIterable, Codable {
        case float32, int8
    }

    public enum ReadError: Error, CustomStringConvertible {
        case notAModel
        case unsupportedVersion(Int)
        case truncated
        case invalid(String)
        public var description: String {
            switch self {
            case .notAModel: return "not an Ombud model file (bad magic)"
            case let .unsupportedVersion(v): return "unsupported model format version \(v) (this build reads \(ModelFile.formatVersion))"
            case .truncated: return "model file is truncated"
            case let .invalid(why): return "invalid model file: \(why)"
            }
        }
    }

    public static func encode(_ model: LinearTextClassifier, encoding: WeightEncoding = .float32) throws -> Data {
        var meta = model.metadata
        meta.notes["weightEncoding"] = encoding.rawValue
        let json = try JSONEncoder.sorted.encode(meta)
        let c = meta.labels.count
        let buckets = meta.features.bucketCount
        var out = Data()
        out.append(contentsOf: magic)
        out.appendLE(UInt32(formatVersion))
        out.appendLE(UInt32(json.count))
        out.append(json)
        // A bucket is stored when it has an IDF (seen in training) or, without IDF, any weight.
        var used: [Int] = []
        for bucket in 0..<buckets {
            let seen = meta.features.useIDF ? model.vectorizer.idf[bucket] > 0
                : model.weights[(bucket * c)..<(bucket * c + c)].contains { $0 != 0 }
            if seen { used.append(bucket) }
        }
        out.appendLE(UInt32(used.count))
        var bitmap = [UInt8](repeating: 0, count: buckets / 8)
        for bkt in used { bitmap[bkt >> 3] |= 1 << UInt8(bkt & 7) }
        out.append(contentsOf: bitmap)
        if meta.features.useIDF {
            let maxIDF = used.map { model.vectorizer.idf[$0] }.max() ?? 1
            let scale = maxIDF / 65535
            out.appendLE(scale.bitPattern)
            for bkt in used { out.appendLE(UInt16((model.vectorizer.idf[bkt] / scale).rounded())) }
        }
        for v in model.bias { out.appendLE(v.bitPattern) }
        for bkt in used {
            let row = model.weights[(bkt * c)..<(bkt * c + c)]
            switch encoding {
            case .float32:
                for v in row { out.appendLE(v.bitPattern) }
            case .int8:
                let m = row.map { abs($0) }.max() ?? 0
                let scale = m > 0 ? m / 127 : 0
                out.appendLE(scale.bitPattern)
                for v in row { out.append(UInt8(bitPattern: scale > 0 ? Int8((v / scale).rounded()) : 0)) }
            }
        }
        return out
    }

    public static func decode(_ data: Data) throws -> LinearTextClassifier {
        var r = Reader(bytes: [UInt8](data))
        guard try r.bytes(8) == magic else { throw ReadError.notAModel }
        let version = Int(try r.u32())
        guard version == formatVersion else { throw ReadError.unsupportedVersion(version) }
        let jsonLength = Int(try r.u32())
        let meta = try JSONDecoder().decode(ModelMetadata.self, from: Data(try r.bytes(jsonLength)))
        let encoding = WeightEncoding(rawValue: meta.notes["weightEncoding"] ?? "float32") ?? .float32
        let c = meta.labels.count
        guard c >= 2 else { throw ReadError.invalid("fewer than two labels") }
        guard (4...26).contains(meta.features.bucketBits) else { throw ReadError.invalid("bucketBits \(meta.features.bucketBits)") }
        let buckets = meta.features.bucketCount
        let usedCount = Int(try r.u32())
        let bitmap = try r.bytes(buckets / 8)
        var used: [Int] = []
        used.reserveCapacity(usedCount)
        for (byteIndex, byte) in bitmap.enumerated() where byte != 0 {
            for bit in 0..<8 where byte & (1 << UInt8(bit)) != 0 { used.append(byteIndex * 8 + bit) }
        }
        guard used.count == usedCount else { throw ReadError.invalid("bucket bitmap does not match its count") }
        var idf: [Float] = []
        if meta.features.useIDF {
            idf = [Float](repeating: 0, count: buckets)
            let scale = Float(bitPattern: try r.u32())
            for bkt in used { idf[bkt] = Float(try r.u16()) * scale }
        }
        var bias = [Float](repeating: 0, count: c)
        for j in 0..<c { bias[j] = Float(bitPattern: try r.u32()) }
        var weights = [Float](repeating: 0, count: buckets * c)
        for bkt in used {
            switch encoding {
            case .float32:
                for j in 0..<c { weights[bkt * c + j] = Float(bitPattern: try r.u32()) }
            case .int8:
                let scale = Float(bitPattern: try r.u32())
                let start = try r.skip(c)
                for j in 0..<c { weights[bkt * c + j] = Float(Int8(bitPattern: r.bytes[start + j])) * scale }
            }
        }
        var h = TextModelFNV()
        h.update(r.bytes)
        let vectorizer = TfIdfVectorizer(settings: meta.features, idf: idf)
        return LinearTextClassifier(metadata: meta, vectorizer: vectorizer, weights: weights, bias: bias,
                                    modelVersion: "\(meta.name)-\(h.hex.prefix(12))")
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        mutating func bytes(_ n: Int) throws -> [UInt8] {
            guard n >= 0, offset + n <= bytes.count else { throw ReadError.truncated }
            defer { offset += n }
            return Array(bytes[offset..<(offset + n)])
        }
        /// Advances past `n` bytes and returns where they start (no copy).
        mutating func skip(_ n: Int) throws -> Int {
            guard n >= 0, offset + n <= bytes.count else { throw ReadError.truncated }
            defer { offset += n }
            return offset
        }
        mutating func u32() throws -> UInt32 {
            guard offset + 4 <= bytes.count else { throw ReadError.truncated }
            var v: UInt32 = 0
            for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
            offset += 4
            return v
        }
        mutating func u16() throws -> UInt16 {
            guard offset + 2 <= bytes.count else { throw ReadError.truncated }
            let v = UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
            offset += 2
            return v
        }
    }
}

extension LinearTextClassifier {
    /// Loads a model from the bytes of a `.ombudmodel` file.
    public init(modelData: Data) throws {
        self = try ModelFile.decode(modelData)
    }

    /// The bytes of a `.ombudmodel` file.
    public func modelData(encoding: ModelFile.WeightEncoding = .float32) throws -> Data {
        try ModelFile.encode(self, encoding: encoding)
    }
}

extension Data {
    fileprivate mutating func appendLE(_ v: UInt32) {
        append(contentsOf: [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8(v >> 24)])
    }
    fileprivate mutating func appendLE(_ v: UInt16) {
        append(contentsOf: [UInt8(v & 0xFF), UInt8(v >> 8)])
    }
}

extension JSONEncoder {
    /// Sorted keys: the same model always serialises to the same bytes.
    fileprivate static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }
}
