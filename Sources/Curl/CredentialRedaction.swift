/// URLs as they may be shown: logs, errors, chat messages, stored documents. A proxy setting like
/// `http://user:secret@proxy:3128` carries a password; everywhere it is shown, only
/// `http://proxy:3128` appears. One helper, so no caller redacts its own way.
public enum CredentialRedaction {
    /// `url` without the user and password before the host (`scheme://user:pass@host` and the
    /// scheme-less `user:pass@host:port` both lose `user:pass@`); other text is returned as it is.
    public static func url(_ url: String) -> String {
        let afterScheme = url.range(of: "://")?.upperBound ?? url.startIndex
        let authorityEnd = url[afterScheme...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        guard let at = url[afterScheme..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<afterScheme]) + String(url[url.index(after: at)...])
    }
}
