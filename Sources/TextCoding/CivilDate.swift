/// Proleptic Gregorian calendar arithmetic on day counts since 1970-01-01 (Howard Hinnant's
/// `civil_from_days` / `days_from_civil`): the one implementation behind every RFC 3339 timestamp
/// Portcullis writes (log lines, rejection descriptions) or reads (personal access token expiry).
/// Pure integer arithmetic: no clock, no locale, no Foundation.
public enum CivilDate {
    /// The (year, month 1...12, day 1...31) of `days` since 1970-01-01 (negative before it).
    public static func from(daysSinceEpoch days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a (year, month 1...12, day) date.
    public static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
