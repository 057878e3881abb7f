// TRANSITIONAL while the pages that use the services are being converted by others: re-exports the services
// module to every file of the web target. Replaced by per-file imports when that work lands.
@_exported import ZoneCastServices
