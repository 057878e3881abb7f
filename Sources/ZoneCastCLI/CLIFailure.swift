import ArgumentParser
import Foundation
import ZoneCastAccess
import ZoneCastCore
import ZoneCastForecast
import ZoneCastIngest
import ZoneCastOperations
import ZoneCastStore

/// Maps module errors to a message on stderr and a sysexits-style exit code. Only this layer knows exit codes.
enum CLIFailure {
    static func exitCode(for error: any Error) -> ExitCode {
        switch error {
        case let e as IngestError:
            switch e {
            case .fileNotFound: return ExitCode(66) // EX_NOINPUT
            case .unreadableFile, .decompressionFailed: return ExitCode(74) // EX_IOERR
            case .unknownPreset, .unknownJurisdiction: return ExitCode(64) // EX_USAGE
            case .emptyFile, .invalidMapping, .missingColumn, .duplicateColumn, .invalidHeader: return ExitCode(65) // EX_DATAERR
            }
        case is CoreError: return ExitCode(65)
        case is AccessError: return ExitCode(65)
        case is AuditKeyFileError: return ExitCode(78) // EX_CONFIG: the audit key file is missing, unreadable or too open
        case is AuditError: return ExitCode(65)
        case is CLIDataError: return ExitCode(65)
        case let e as ForecastError:
            switch e {
            case .unknownModel, .invalidSetting: return ExitCode(64)
            case .noTrainingData: return ExitCode(65)  // the data holds nothing to forecast from
            default: return ExitCode.failure
            }
        case let e as StoreError:
            switch e {
            case .jurisdictionMismatch, .noJurisdiction, .invalidStreet: return ExitCode(65)
            case .database, .corrupt: return ExitCode(74)
            }
        default: return ExitCode.failure
        }
    }

    /// Runs a command body, printing any failure as "zonecast: error: ..." and exiting with its code.
    static func run(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let e as ExitCode {
            throw e
        } catch let e as ValidationError {
            throw e
        } catch {
            FileHandle.standardError.write(Data("zonecast: error: \(error)\n".utf8))
            throw exitCode(for: error)
        }
    }
}

func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .iso8601
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}

/// Peak resident memory of this process in MiB (Linux ru_maxrss is in KiB).
func peakMemoryMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// The data or the database cannot do what was asked as asked (exit 65), said with what would: a database holding
/// none of the target categories, a preset naming another city than the database's.
struct CLIDataError: Error, CustomStringConvertible {
    var description: String
}
