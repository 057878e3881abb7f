import Foundation
import ZoneCastMail
import ZoneCastServices

/// Alert e-mail from the environment, read once when `serve` starts:
/// - `ZONECAST_SMTP_URL`: the relay (`smtp://[user[:password]@]host[:port][?helo=&timeout=&allow_plain_auth=1]`); unset: no e-mail;
/// - `ZONECAST_MAIL_FROM`: the sender (default `zonecast@localhost.localdomain`);
/// - `ZONECAST_BASE_URL`: the application's address for the link in each message (default `http://HOST:PORT`);
/// - `ZONECAST_ALERT_RECIPIENTS`: comma-separated addresses until an admin saves others at /settings/alerts.
extension EdgeConfiguration {
    /// Errors name the variable and its value (a relay password is never repeated: `SMTPConfiguration` redacts it).
    struct MailSettingError: Error, CustomStringConvertible {
        var variable: String
        var error: MailError
        var description: String { "\(variable): \(error)" }
    }

    /// The alert mail when `ZONECAST_SMTP_URL` is set; nil otherwise.
    func alertMail(defaultBaseURL: String) throws(MailSettingError) -> AlertMail? {
        guard let url = environment["ZONECAST_SMTP_URL"], !url.isEmpty else { return nil }
        let configuration: SMTPConfiguration
        do { configuration = try SMTPConfiguration(url: url) } catch { throw MailSettingError(variable: "ZONECAST_SMTP_URL", error: error) }
        let from: MailAddress
        let sender = environment["ZONECAST_MAIL_FROM"] ?? "zonecast@localhost.localdomain"
        do { from = try MailAddress(sender, name: "ZoneCast", field: "ZONECAST_MAIL_FROM") } catch {
            throw MailSettingError(variable: "ZONECAST_MAIL_FROM", error: error)
        }
        return AlertMail(transport: SMTPTransport(configuration: configuration), from: from, baseURL: environment["ZONECAST_BASE_URL"] ?? defaultBaseURL)
    }

    /// `ZONECAST_ALERT_RECIPIENTS`, each address checked.
    func alertRecipients() throws(MailSettingError) -> [String] {
        let list = (environment["ZONECAST_ALERT_RECIPIENTS"] ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        for a in list {
            do { _ = try MailAddress(a, field: "ZONECAST_ALERT_RECIPIENTS") } catch {
                throw MailSettingError(variable: "ZONECAST_ALERT_RECIPIENTS", error: error)
            }
        }
        return list
    }
}
